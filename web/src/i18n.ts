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
    notFound: 'We could not find this showtime.',
    cancelled: 'This showtime has been called off. No seats can be held.',
    screen: (name: string) => `Screen: ${name}`,
    startsAt: 'Starts',
    prices: 'Prices and seat symbols',
    categoryPrice: (category: string, price: string) => `${category}: ${price}`,
    noPrice: 'not on sale',
    mapLabel: 'Seats',
    mapHint: 'Use the arrow keys to move between seats, Enter or Space to choose one.',
    screenThisWay: 'Screen this way',
    row: (label: string) => `Row ${label}`,
    seatName: (row: string, number: number, category: string, price: string, state: string) =>
      `Row ${row}, seat ${number}, ${category.toLowerCase()}, ${price}, ${state}`,
    seatShort: (row: string, number: number) => `Row ${row}, seat ${number}`,
    state: {
      available: 'available',
      selected: 'selected',
      mine: 'held for you',
      HELD: 'held by another buyer',
      SOLD: 'sold',
      BLOCKED: 'not for sale',
    } as Record<string, string>,
    legend: {
      available: 'Available',
      selected: 'Your choice',
      mine: 'Held for you',
      taken: 'Held by another buyer',
      sold: 'Sold',
      blocked: 'Not for sale',
      accessible: 'Wheelchair space',
      companion: 'Companion seat (next to a wheelchair space)',
      premium: 'Premium',
    },
    available: (n: number) => `${n} ${n === 1 ? 'seat' : 'seats'} available`,
    live: 'Live',
    liveTitle: 'Seats change here as other buyers choose them',
    liveConnecting: 'Connecting…',
    liveLost: 'Live updates stopped. The seats are re-read every few seconds instead.',
    taken: (seats: string) => `${seats} was just taken by someone else.`,
    takenMany: (seats: string) => `${seats} were just taken by someone else.`,
    and: (items: string[]) =>
      items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`,
    selection: (n: number, total: string) =>
      n === 0 ? 'No seats chosen yet.' : `${n} ${n === 1 ? 'seat' : 'seats'} chosen, ${total}`,
    clear: 'Clear choice',
    hold: (n: number) => (n === 0 ? 'Hold seats' : `Hold ${n} ${n === 1 ? 'seat' : 'seats'}`),
    holding: 'Holding…',
    signInToHold: 'Sign in to hold seats',
    unavailableNamed: (seats: string, count: number) =>
      `Sorry, ${seats} ${count === 1 ? 'is' : 'are'} no longer available. Please choose others.`,
    alreadyTaken: (seat: string) => `${seat} is already taken. Please choose another seat.`,
    best: 'Best available',
    bestCount: 'Number of seats',
    bestCategory: 'Seat type',
    bestHold: 'Hold best available',
    bestHint: 'We pick seats side by side in one row, as central as we can.',
    zoomFit: 'Fit seats to screen',
    loadingMap: 'Loading the seats…',
  },

  waitingRoom: {
    title: 'Waiting room',
    intro: 'Many buyers want this showtime, so we let them choose seats a few at a time, in the order they arrived.',
    signIn: 'Sign in to join the line',
    joining: 'Joining the line…',
    position: (n: number) => (n === 1 ? 'You are next in line.' : `You are number ${n} in line.`),
    eta: (minutes: number) =>
      minutes < 1 ? 'Estimated wait: less than a minute.' : `Estimated wait: about ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`,
    etaUnknown: 'Estimated wait: not known yet; we will tell you once the line has moved.',
    keepOpen: 'Keep this page open: the seats open here by themselves when it is your turn.',
    leave: 'Leave the line',
    giveUp: 'Give up my turn',
    left: 'You have left the line.',
    notInLine: 'You are not in the line for this showtime.',
    join: 'Join the line',
    admitted: 'It is your turn. Choose your seats now.',
    admittedUntil: (clock: string) => `Your turn lasts ${clock} more.`,
    admittedSpoken: (minutes: number, seconds: number) =>
      minutes > 0
        ? `Your turn lasts ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} more`
        : `Your turn lasts ${seconds} ${seconds === 1 ? 'second' : 'seconds'} more`,
    lapsed: 'Your turn has ended. Join the line again to choose seats.',
    mapReadOnly: 'You can look at the seats while you wait.',
  },

  // The hold's countdown (seat picker and checkout alike).
  hold: {
    heldFor: (clock: string) => `Seats held for ${clock}`,
    heldForSpoken: (minutes: number, seconds: number) =>
      minutes > 0
        ? `Seats held for ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} more`
        : `Seats held for ${seconds} ${seconds === 1 ? 'second' : 'seconds'} more`,
    expired: 'Your hold has ended and the seats were released.',
    title: 'Your seats are held',
    seats: 'Seats',
    total: 'Total',
    continue: 'Continue to checkout',
    release: 'Release seats',
    releasing: 'Releasing…',
    released: 'Your seats were released.',
    paying: 'Payment is under way for these seats.',
    ended: 'This hold has ended.',
    heldNow: (seats: string) => `${seats} held for you.`,
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
