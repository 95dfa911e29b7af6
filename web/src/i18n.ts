/**
 * Every string the buyer reads, in one catalogue ready for translation. Components take
 * their words from `t` and never spell them out; a translation is another object of the
 * same shape (the type makes a missing key a build error).
 */
export const en = {
  appName: 'Marquee',
  skipToContent: 'Skip to content',
  nav: {
    label: 'Main',
    whatsOn: "What's on",
    bookings: 'My bookings',
    notifications: 'Notifications',
    signIn: 'Sign in',
    admin: 'Staff panel',
  },
  city: {
    label: 'City',
    choose: 'Choose a city',
    nearMe: 'Near me',
    locating: 'Finding you…',
    noneNear: 'No theatre within 100 km of you. Choose a city instead.',
    denied: 'Your browser did not share your location. Choose a city instead.',
    unsupported: 'This browser cannot tell us where you are. Choose a city instead.',
    none: 'No city has a theatre yet.',
  },
  search: {
    label: 'Search movies, events and theatres',
    placeholder: 'Search titles, performers, theatres',
    submit: 'Search',
    suggestions: 'Suggestions',
    noResults: (q: string) => `Nothing found for “${q}”.`,
    results: (q: string) => `Results for “${q}”`,
    kind: { MOVIE: 'Movie', EVENT: 'Live event', THEATRE: 'Theatre' } as Record<string, string>,
  },
  home: {
    title: "What's on",
    inCity: (city: string) => `What's on in ${city}`,
    pickCityFirst: 'Choose a city to see what is on near you.',
    dates: 'Dates',
    allWeek: 'This week',
    today: 'Today',
    tomorrow: 'Tomorrow',
    movies: 'Movies',
    events: 'Live events',
    noMovies: 'No movies on these dates.',
    noEvents: 'No live events on these dates.',
    moreMovies: 'Show more movies',
    moreEvents: 'Show more live events',
  },
  title: {
    notFound: 'We could not find this title.',
    rating: (avg: string, count: number) =>
      count === 0 ? 'Not rated yet' : `Rated ${avg} out of 5 by ${count} ${count === 1 ? 'viewer' : 'viewers'}`,
    runtime: (min: number) => `${Math.floor(min / 60)} h ${min % 60} min`,
    released: 'Released',
    cast: 'Cast',
    genres: 'Genres',
    performer: 'With',
    category: 'Category',
    showtimes: 'Showtimes',
    showtimesIn: (city: string) => `Showtimes in ${city}`,
    noShowtimes: 'No upcoming showtimes.',
    noShowtimesInCity: (city: string) => `No upcoming showtimes in ${city}.`,
    showAllCities: 'Show all cities',
    reviews: 'Reviews',
    noReviews: 'No reviews yet.',
    verified: 'Ticket holder',
    stars: (n: number) => `${n} out of 5 stars`,
    histogram: 'Ratings by number of stars',
    starsCount: (stars: number, count: number) =>
      `${stars} ${stars === 1 ? 'star' : 'stars'}: ${count} ${count === 1 ? 'viewer' : 'viewers'}`,
    poster: (title: string) => `Poster of ${title}`,
    trailer: 'Watch the trailer',
  },
  seatCategory: {
    STANDARD: 'Standard',
    PREMIUM: 'Premium',
    ACCESSIBLE: 'Wheelchair space',
    COMPANION: 'Companion seat',
  } as Record<string, string>,
  // The seat picker and its waiting room.
  seatPicker: {
    title: 'Choose your seats',
  },

  waitingRoom: {
    title: 'Waiting room',
  },

  // The hold's countdown (seat picker and checkout alike).
  hold: {
    heldFor: (clock: string) => `Seats held for ${clock}`,
    heldForSpoken: (minutes: number, seconds: number) =>
      minutes > 0
        ? `Seats held for ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} more`
        : `Seats held for ${seconds} ${seconds === 1 ? 'second' : 'seconds'} more`,
    expired: 'Your hold has ended and the seats were released.',
  },

  // Checkout and payment.
  checkout: {
    title: 'Checkout',
  },

  // Bookings, tickets and cancelling.
  bookings: {
    title: 'My bookings',
  },

  // Signing up and in, the account.
  account: {
    title: 'Your account',
  },

  notifications: {
    title: 'Notifications',
  },

  reviews: {
    write: 'Write a review',
    yours: 'Your review',
    yoursBadge: 'Yours',
    signIn: 'Sign in to write a review',
    rating: 'Your rating',
    starOption: (n: number) => `${n} ${n === 1 ? 'star' : 'stars'}`,
    body: 'Your review (optional)',
    bodyHint: (max: string) => `Up to ${max} characters. Please leave out spoilers.`,
    noBody: 'No text, stars only.',
    post: 'Post review',
    posting: 'Posting…',
    edit: 'Edit review',
    save: 'Save changes',
    saving: 'Saving…',
    cancel: 'Cancel',
    delete: 'Delete review',
    deleting: 'Deleting…',
    confirmDelete: 'Delete your review? This cannot be undone.',
    keep: 'Keep it',
    posted: 'Thank you: your review is posted.',
    updated: 'Your review is updated.',
    deleted: 'Your review is deleted.',
    chooseRating: 'Choose from 1 to 5 stars.',
    alreadyReviewed:
      'You have already reviewed this movie: each account has one review per movie. Yours was written in another browser, where you can change or delete it.',
    gone: 'That review no longer exists. You can write a new one.',
  },

  // The staff panel.
  admin: {
    title: 'Staff panel',
  },

  notFound: {
    title: 'Page not found',
    body: 'There is nothing at this address.',
    home: 'Go to what’s on',
  },
  errors: {
    // By the API's `extensions.code`; anything else reads as `generic`.
    BAD_USER_INPUT: 'Something in the request was not valid. Please check it and try again.',
    UNAUTHENTICATED: 'Please sign in to continue.',
    FORBIDDEN: 'You are not allowed to do that.',
    NOT_FOUND: 'We could not find what you asked for.',
    CONFLICT: 'That was changed meanwhile. Please reload and try again.',
    EMAIL_TAKEN: 'An account with this email already exists.',
    SEAT_UNAVAILABLE: 'Some of those seats were just taken. Please choose others.',
    HOLD_EXPIRED: 'Your seats were held for too long and have been released.',
    ADMISSION_REQUIRED: 'This showtime sells through a waiting room. Please join the line.',
    LIMIT_REACHED: 'You have reached the limit of seats or holds for your account.',
    SERVICE_UNAVAILABLE: 'The service is busy right now. Your seats are kept; please try again shortly.',
    RATE_LIMITED: 'Too many requests. Please wait a moment and try again.',
    NETWORK: 'We could not reach Marquee. Check your connection and try again.',
    generic: 'Something went wrong on our side. Please try again.',
  } as Record<string, string>,
  rateLimitedWait: (seconds: number) =>
    `Too many requests. Please try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`,
  retry: 'Try again',
  loading: 'Loading…',
};

export type Messages = typeof en;

export const t: Messages = en;

/** The buyer's language for dates and numbers (and, later, for the catalogue). */
export const locale: string =
  (typeof navigator !== 'undefined' && navigator.language) || 'en-US';
