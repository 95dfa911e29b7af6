//! Discovery building blocks that need no database: geographic distance and the bounding
//! boxes that let a database pre-filter "near me" queries.

pub mod geo;
