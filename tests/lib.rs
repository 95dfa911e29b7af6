//! Black-box tests of the Marquee server live in `api/`; this library is empty on purpose.
