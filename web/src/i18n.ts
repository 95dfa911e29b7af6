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
    notificationsUnread: (n: number) => (n === 0 ? 'Notifications' : `Notifications, ${n} unread`),
    account: (name: string) => `Account: ${name}`,
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
    summary: 'Your order',
    seats: 'Seats',
    seat: (row: string, number: number) => `Row ${row}, seat ${number}`,
    subtotal: 'Tickets',
    fee: (tickets: number) => `Booking fee (${tickets} ${tickets === 1 ? 'ticket' : 'tickets'})`,
    discount: (code: string) => `Promo code ${code}`,
    total: 'Total to pay',
    promo: 'Promo code',
    promoApply: 'Apply',
    promoRemove: 'Remove code',
    promoApplied: (code: string, description: string) =>
      description ? `Code ${code} applied: ${description}` : `Code ${code} applied.`,
    promoErrors: {
      PROMO_UNKNOWN: 'We do not know this promo code. Please check its spelling.',
      PROMO_NOT_VALID_NOW: 'This promo code is not valid at the moment.',
      PROMO_USED_UP: 'This promo code has been used up.',
      PROMO_ALREADY_USED: 'You have already used this promo code.',
      PROMO_OTHER_CURRENCY: 'This promo code is for another currency.',
    } as Record<string, string>,
    payment: 'Payment',
    method: 'Test payment method',
    methodHint: 'This is a test system: no real card is charged. Choose how the test payment should go.',
    methods: {
      pm_card_visa: 'Visa card that pays',
      pm_card_mastercard: 'Mastercard that pays',
      pm_card_threeDSecure2Required: 'Card that asks for 3-D Secure authentication',
      pm_card_chargeDeclined: 'Card that is declined',
      pm_card_chargeDeclinedInsufficientFunds: 'Card declined for insufficient funds',
    } as Record<string, string>,
    card: 'Card details',
    cardLoading: 'Loading the secure card form…',
    cardUnavailable: 'The card form could not be loaded. Check your connection and reload the page.',
    pay: (amount: string) => `Pay ${amount}`,
    paying: 'Paying…',
    pending: 'Your payment is being processed. This page updates on its own when it is settled.',
    authTitle: 'Confirm the payment with your bank',
    authBody: (amount: string) =>
      `Your bank asks you to confirm this payment of ${amount}. (In this test system this stands for your bank's page.)`,
    authApprove: 'Approve',
    authDecline: 'Decline',
    authWorking: 'Asking your bank…',
    declined: 'Your payment was declined and nothing was charged. Your seats have been released.',
    authFailed: 'The payment was not confirmed with your bank and nothing was charged. Your seats have been released.',
    chooseAgain: 'Choose seats again',
    expired: 'Your hold has ended and the seats were released. Nothing was charged.',
    notPayable: 'This booking can no longer be paid.',
    viewBooking: 'See the booking',
    notFound: 'We could not find this booking.',
  },

  // Bookings, tickets and cancelling.
  bookings: {
    title: 'My bookings',
    upcoming: 'Upcoming',
    past: 'Past and other bookings',
    none: 'You have no bookings yet.',
    noneUpcoming: 'No upcoming bookings.',
    nonePast: 'Nothing here yet.',
    browse: "See what's on",
    seatsCount: (n: number) => `${n} ${n === 1 ? 'seat' : 'seats'}`,
    status: {
      HELD: 'Seats held, not paid yet',
      PAYMENT_PENDING: 'Payment being processed',
      CONFIRMED: 'Confirmed',
      EXPIRED: 'Hold ended',
      PAYMENT_FAILED: 'Payment declined',
      CANCELLED: 'Cancelled',
      REFUNDED: 'Refunded',
    } as Record<string, string>,
    statusLabel: 'Status',
    booking: 'Booking',
    when: 'When',
    where: 'Where',
    seats: 'Seats',
    total: 'Total',
    untitled: 'Showtime',
    tickets: 'Tickets',
    ticket: (row: string, number: number) => `Row ${row}, seat ${number}`,
    ticketCode: 'Code',
    qrAlt: (row: string, number: number, code: string) => `QR code of the ticket for row ${row}, seat ${number}: ${code}`,
    ticketStatus: { valid: 'Valid', void: 'Void', used: 'Used' } as Record<string, string>,
    payNow: 'Go to checkout',
    cancel: 'Cancel booking',
    cancelTitle: 'Cancel this booking?',
    refundFull: (amount: string) => `You will get a full refund of ${amount}.`,
    refundHalf: (amount: string) => `You will get half of your payment back: ${amount}.`,
    fullUntil: (when: string) => `Full refund if cancelled before ${when}.`,
    halfUntil: (when: string) => `Half refund if cancelled before ${when}.`,
    showtimeCancelled: 'The theatre cancelled this show: cancelling refunds you in full.',
    cannotCancelStarted: 'This booking can no longer be cancelled: the show has started.',
    cannotCancelLate: (when: string) =>
      `This booking can no longer be cancelled: cancellations closed at ${when}.`,
    confirmCancel: 'Yes, cancel and refund',
    keep: 'Keep my booking',
    cancelling: 'Cancelling…',
    cancelled: (amount: string) => `Your booking is cancelled. ${amount} will be refunded to your card.`,
    liveStatus: (status: string) => `Booking status: ${status}`,
    offline: 'You are offline — showing your saved tickets.',
    offlineNone: 'You are offline and no tickets are saved on this device yet.',
    notFound: 'We could not find this booking.',
  },

  // Signing up and in, the account.
  account: {
    title: 'Your account',
    signInTitle: 'Sign in',
    signUpTitle: 'Create an account',
    email: 'Email',
    password: 'Password',
    passwordHint: 'At least 8 characters.',
    name: 'Your name',
    signIn: 'Sign in',
    signingIn: 'Signing in…',
    signUp: 'Create account',
    signingUp: 'Creating your account…',
    noAccount: 'New to Marquee?',
    toSignUp: 'Create an account',
    haveAccount: 'Already have an account?',
    toSignIn: 'Sign in',
    badCredentials: 'That email and password do not match an account.',
    emailTaken: 'An account with this email already exists. Sign in instead?',
    invalid: 'Please check the email address, and that the password has 8 to 128 characters.',
    signedInAs: (name: string, email: string) => `Signed in as ${name} (${email})`,
    memberSince: (date: string) => `Member since ${date}`,
    logOut: 'Log out',
    loggingOut: 'Logging out…',
    deleteTitle: 'Delete your account',
    deleteBody: 'Your personal data is erased and you are signed out everywhere. Bookings are kept for accounting.',
    deletePassword: 'Your password, to confirm',
    delete: 'Delete my account',
    deleteConfirmTitle: 'Delete your account for good?',
    deleteConfirmBody: 'This cannot be undone.',
    deleteConfirm: 'Yes, delete my account',
    deleteCancel: 'Keep my account',
    deleting: 'Deleting…',
    wrongPassword: 'That password is not correct.',
    deleted: 'Your account has been deleted.',
  },

  notifications: {
    title: 'Notifications',
    none: 'No notifications yet.',
    unread: 'Unread',
    read: 'Read',
    markRead: 'Mark as read',
    markReadOf: (title: string) => `Mark “${title}” as read`,
    seeBooking: 'See the booking',
    unreadCount: (n: number) => (n === 0 ? 'All caught up.' : `${n} unread`),
    arrived: (title: string) => `New notification: ${title}`,
    more: 'Show older notifications',
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
