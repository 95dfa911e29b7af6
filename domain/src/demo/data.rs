//! Static tables behind the demo catalogue.
//!
//! Word lists are `|`-separated strings rather than arrays so the tables stay
//! dense under rustfmt; they are split once per generation run.

use chrono_tz::America::{Chicago, Denver, Los_Angeles, New_York, Phoenix};
use chrono_tz::Tz;

/// A real US city the demo theatres are placed around.
pub struct City {
    /// City name as shown in addresses.
    pub name: &'static str,
    /// Two-letter USPS state code.
    pub state: &'static str,
    /// IANA time zone the city's shows are scheduled in.
    pub tz: Tz,
    /// City-centre latitude in degrees.
    pub lat: f64,
    /// City-centre longitude in degrees.
    pub lon: f64,
    /// Standard adult evening price level in US cents before adjustments.
    pub base_price: i64,
    /// Whitespace-separated real ZIP codes near the centre.
    pub zips: &'static str,
}

const fn city(
    name: &'static str,
    state: &'static str,
    tz: Tz,
    lat: f64,
    lon: f64,
    base_price: i64,
    zips: &'static str,
) -> City {
    City {
        name,
        state,
        tz,
        lat,
        lon,
        base_price,
        zips,
    }
}

/// Cities ordered by population, largest first.
#[rustfmt::skip]
pub const CITIES: [City; 18] = [
    city("New York", "NY", New_York, 40.7128, -74.0060, 1500, "10001 10011 10019 10036"),
    city("Los Angeles", "CA", Los_Angeles, 34.0522, -118.2437, 1400, "90012 90013 90028 90036"),
    city("Chicago", "IL", Chicago, 41.8781, -87.6298, 1350, "60601 60605 60607 60614"),
    city("Houston", "TX", Chicago, 29.7604, -95.3698, 1200, "77002 77006 77019 77098"),
    city("Phoenix", "AZ", Phoenix, 33.4484, -112.0740, 1150, "85003 85004 85006 85012"),
    city("Philadelphia", "PA", New_York, 39.9526, -75.1652, 1300, "19102 19103 19106 19107"),
    city("San Antonio", "TX", Chicago, 29.4241, -98.4936, 1100, "78204 78205 78210 78212"),
    city("San Diego", "CA", Los_Angeles, 32.7157, -117.1611, 1300, "92101 92103 92104 92116"),
    city("Dallas", "TX", Chicago, 32.7767, -96.7970, 1250, "75201 75202 75204 75206"),
    city("San Jose", "CA", Los_Angeles, 37.3382, -121.8863, 1400, "95110 95112 95113 95126"),
    city("Austin", "TX", Chicago, 30.2672, -97.7431, 1300, "78701 78702 78703 78704"),
    city("Seattle", "WA", Los_Angeles, 47.6062, -122.3321, 1400, "98101 98104 98109 98122"),
    city("Denver", "CO", Denver, 39.7392, -104.9903, 1300, "80202 80203 80205 80218"),
    city("Boston", "MA", New_York, 42.3601, -71.0589, 1400, "02108 02110 02115 02116"),
    city("Miami", "FL", New_York, 25.7617, -80.1918, 1300, "33128 33130 33131 33132"),
    city("Atlanta", "GA", New_York, 33.7490, -84.3880, 1250, "30303 30308 30309 30312"),
    city("Portland", "OR", Los_Angeles, 45.5152, -122.6784, 1300, "97204 97205 97209 97214"),
    city("Minneapolis", "MN", Chicago, 44.9778, -93.2650, 1250, "55401 55402 55403 55404"),
];

/// How many of the largest cities get a flagship multiplex.
pub const MULTIPLEX_CITIES: usize = 6;

/// Invented cinema brands; real chain names are deliberately avoided.
pub const BRANDS: &str =
    "Marquee|Lumen|Starlight|Reelhouse|Bijou|Silverlight|Kinema|Picture Palace";

/// Neighbourhood-style suffixes for theatre names.
pub const LOCALITIES: &str = "Downtown|Midtown|Uptown|Riverside|Harborview|Westside|Eastgate|\
    Northpoint|Southpark|Old Town|Union Square|Lakeview|Hillcrest|Parkside|Arts District|\
    Market Street|Station Square|Cedar Grove|Mill Creek|Waterfront|University|Crossroads|\
    Five Points|Gaslight";

/// Street names for theatre addresses.
pub const STREETS: &str = "Main Street|Market Street|Broadway|Elm Avenue|Oak Street|\
    Lincoln Avenue|Washington Boulevard|Park Avenue|Central Avenue|Grand Avenue|Maple Street|\
    Jefferson Street|Franklin Avenue|Harbor Drive|Mission Street|5th Avenue|3rd Street|\
    Cedar Lane|Pine Street|Spring Street|Union Street|Madison Avenue|Chestnut Street|\
    Commerce Street|Riverside Drive|Congress Avenue";

/// Movie genre slugs with their relative frequency.
#[rustfmt::skip]
pub const GENRES: [(&str, u32); 17] = [
    ("action", 14), ("adventure", 8), ("animation", 5), ("comedy", 14), ("crime", 6),
    ("documentary", 3), ("drama", 18), ("family", 5), ("fantasy", 6), ("horror", 8),
    ("musical", 2), ("mystery", 5), ("romance", 7), ("sci-fi", 8), ("thriller", 10), ("war", 2),
    ("western", 2),
];

/// Movie languages: name, relative frequency, first names, last names (for
/// casts that fit the language).
pub const LANGUAGES: [(&str, u32, &str, &str); 6] = [
    (
        "English",
        80,
        "James Maria Daniel Aisha Michael Sofia David Priya Ethan Grace Marcus Elena Noah \
         Chloe Samuel Ava Julian Naomi Owen Zoe Isaac Leila Gabriel Hannah Lucas Camila Theo \
         Ruby Adrian Nora Caleb Iris Felix Maya Jonah Clara Mateo Simone Dev Rosa Miles Tessa",
        "Carter Nguyen Alvarez Brooks Okafor Patel Kim Sullivan Reyes Bennett Hughes Park \
         Fischer Moreau Castillo Price Lindqvist Barrett Yamamoto Delgado Whitaker Osei Romano \
         Hale Mercer Quinn Vasquez Abbott Sinclair Navarro Keane Holloway Ward Chen Ibarra",
    ),
    (
        "Spanish",
        6,
        "Alejandro Lucía Diego Valentina Javier Carmen Mateo Isabel Santiago Paula Andrés Elena",
        "García Fernández López Martínez Sánchez Romero Navarro Torres Ruiz Morales Ortega Vidal",
    ),
    (
        "Hindi",
        5,
        "Arjun Priya Rohan Ananya Vikram Kavya Aditya Meera Rahul Isha Kabir Neha",
        "Sharma Kapoor Mehta Iyer Khanna Reddy Malhotra Bose Chopra Nair Verma Desai",
    ),
    (
        "Japanese",
        3,
        "Haruto Yui Ren Sakura Sota Aoi Kenji Hana Daiki Mei Takumi Rin",
        "Sato Suzuki Takahashi Tanaka Watanabe Ito Nakamura Kobayashi Yoshida Yamada Inoue",
    ),
    (
        "Korean",
        3,
        "Min-jun Seo-yeon Ji-ho Ha-eun Do-yun Ji-woo Hyun-woo Soo-ah Joon-ho Yoo-na Eun-ji",
        "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Shin",
    ),
    (
        "French",
        3,
        "Louis Camille Hugo Léa Gabriel Chloé Arthur Manon Jules Inès Théo Margaux",
        "Martin Bernard Dubois Laurent Lefèvre Moreau Girard Bonnet Fournier Rousseau Lambert",
    ),
];

/// Title words. Pairings that would reproduce well-known real films are
/// avoided where noticed.
pub const ADJECTIVES: &str = "Last|Silent|Broken|Hidden|Golden|Forgotten|Endless|Savage|Hollow|\
    Burning|Distant|Restless|Electric|Fallen|Lonely|Secret|Final|Velvet|Iron|Scarlet|\
    Shattered|Quiet|Bright|Wicked|Paper|Painted|Northern|Borrowed|Crooked|Sleeping";

/// Singular title nouns.
pub const NOUNS: &str = "Horizon|Harbor|Kingdom|Frontier|Signal|Garden|Witness|Empire|River|\
    Promise|Orchard|Compass|Lantern|Covenant|Voyage|Ember|Summit|Fortress|Circus|Mirror|Storm|\
    Crown|Labyrinth|Echo|Heist|Reckoning|Requiem|Carnival|Lighthouse|Meridian|Alibi|Inheritance";

/// Plural nouns for "X of the Y" titles.
pub const PLURALS: &str = "Echoes|Songs|Ghosts|Children|Keepers|Shadows|Secrets|Legends|\
    Daughters|Riders|Ashes|Wolves|Prisoners|Saints|Thieves|Sons";

/// Endings for "X of the Y" titles.
pub const OF_THE: &str = "Deep|North|Storm|Valley|Sun|Canyon|Lost Coast|Tide|Moon|Wild|Forest|\
    Last Light|Silver Lake|Fallen|Drowned City|High Desert";

/// First halves of "X in Y" titles.
pub const MOMENTS: &str = "Midnight|Summer|Winter|Murder|Love|Thunder|Twilight|Trouble|Autumn|\
    Rain|Sunday|Christmas|Blood|Smoke|Fire";

/// Places for "X in Y" titles.
pub const PLACES: &str = "Sonora|Lisbon|Marrakesh|Brooklyn|Havana|Kyoto|Tangier|Montana|Reno|\
    Patagonia|Vienna|Memphis|Saigon|Alaska|Galveston|Monterey|Santa Fe|Tulsa|Oaxaca|Naples";

/// Gerunds for "Chasing X" titles.
pub const GERUNDS: &str = "Chasing|Finding|Saving|Breaking|Running|Hunting|Becoming|Catching|\
    Leaving|Crossing|Waking|Keeping";

/// Endings that turn a title into a sequel.
pub const SEQUELS: &str =
    " II| III| 2| Part II|: The Return|: Rising|: Homecoming|: Legacy| Returns";

/// Synopsis openers: who the story follows.
pub const ROLES: &str = "a retired detective|a disgraced surgeon|an estranged older sister|\
    a small-town mechanic|an ambitious young lawyer|a washed-up rock star|a rookie astronaut|\
    a grieving widower|a teenage hacker|an undercover agent|a reclusive novelist|\
    a stubborn rancher|a street magician|a marine biologist|a night-shift nurse|\
    a former boxer|a runaway heiress|a wisecracking robot|a single father|a charming con artist|\
    a rival pastry chef|a burned-out schoolteacher|a young cartographer|an aging stuntman";

/// Synopsis settings.
pub const SETTINGS: &str = "in a drowned coastal town|on the edge of the Sonoran desert|\
    in 1970s New Orleans|aboard a failing space station|in a snowbound mountain village|\
    in the neon alleys of Tokyo|on a remote Scottish island|in a crumbling Hollywood mansion|\
    during the last summer of the war|in a city that never sleeps|beneath the streets of Paris|\
    on a cross-country night train|in a sleepy Texas border town|at a failing family circus|\
    in the shadow of a dormant volcano|on a research vessel in the Arctic|\
    in a Chicago neighbourhood on the brink|at an exclusive alpine boarding school";

/// Synopsis goals.
pub const GOALS: &str = "must track down a missing sister|has one week to save the family \
    vineyard|is pulled into a heist that goes wrong in every possible way|uncovers a conspiracy \
    that reaches the highest office|gets one last shot at the title that ended a career|\
    sets out to return a stolen relic|must survive a night no one was meant to see|\
    falls for the one person who could ruin everything|inherits a house with a very long \
    memory|races to decode a signal from deep space|agrees to one final job|\
    has to pass as someone else for a single weekend|tries to reunite a band that broke up \
    twenty years ago|discovers a door that should not exist|is hired to find a man who \
    vanished in plain sight|chases a legend across three continents";

/// Second synopsis sentences.
pub const TWISTS: &str = "Nothing is what it seems.|But someone is watching.|\
    The clock is already ticking.|What begins as a favour becomes a fight for survival.|\
    Along the way, old wounds reopen.|An unlikely friendship may be the only way home.|\
    The truth is stranger than anyone imagined.|Every choice comes with a price.|\
    Some secrets refuse to stay buried.|Trust, it turns out, is the most dangerous currency.|\
    Family, it turns out, is the hardest job of all.|Not everyone is going to make it back.";

/// Optional third synopsis sentences.
pub const CODAS: &str = "Based on a true story.|Inspired by real events.|\
    Adapted from the best-selling novel.|Shot on location across three continents.|\
    Featuring an original score performed by a full orchestra.|\
    Winner of the audience award at this year's festival circuit.";

/// A hand-written title that search demos rely on.
pub struct Featured {
    /// Exact title.
    pub title: &'static str,
    /// Whitespace-separated genre slugs.
    pub genres: &'static str,
    /// MPA-style certificate.
    pub certificate: &'static str,
    /// Runtime in minutes.
    pub runtime: i32,
    /// Spoken language.
    pub language: &'static str,
    /// Synopsis.
    pub synopsis: &'static str,
}

/// Titles that must always exist so search (prefix, fuzzy, accents) can be
/// demonstrated against known data.
pub const FEATURED: [Featured; 8] = [
    Featured {
        title: "Spider-Man: Crossing Worlds",
        genres: "action adventure sci-fi",
        certificate: "PG-13",
        runtime: 142,
        language: "English",
        synopsis: "Every version of the city he protects is unravelling at once. To stitch \
                   the worlds back together, a young hero must team up with strangers who \
                   wear his face.",
    },
    Featured {
        title: "Avengers: Last Stand",
        genres: "action sci-fi",
        certificate: "PG-13",
        runtime: 168,
        language: "English",
        synopsis: "Earth's mightiest heroes regroup for one final battle against an enemy \
                   that has already won on a thousand other worlds.",
    },
    Featured {
        title: "The Spider Queen",
        genres: "horror fantasy",
        certificate: "R",
        runtime: 104,
        language: "English",
        synopsis: "A folklore researcher returns to her grandmother's village, where every \
                   child is warned never to enter the old silk mill. Something inside has \
                   been waiting.",
    },
    Featured {
        title: "Spider Island",
        genres: "adventure comedy family",
        certificate: "PG",
        runtime: 96,
        language: "English",
        synopsis: "Three siblings shipwrecked on a tropical island discover that its \
                   eight-legged residents are the friendliest neighbours they have ever had.",
    },
    Featured {
        title: "Starfall",
        genres: "sci-fi drama",
        certificate: "PG-13",
        runtime: 131,
        language: "English",
        synopsis: "When a meteor storm strands a mining crew on the far side of the Moon, \
                   their only way home is a ship none of them knows how to fly.",
    },
    Featured {
        title: "Star Voyagers",
        genres: "animation family adventure",
        certificate: "PG",
        runtime: 94,
        language: "English",
        synopsis: "A stowaway raccoon and a retired robot pilot race across the galaxy to \
                   bring a runaway comet home before the holidays.",
    },
    Featured {
        title: "Crème Brûlée",
        genres: "romance comedy",
        certificate: "PG-13",
        runtime: 108,
        language: "French",
        synopsis: "Two rival pastry chefs on the same Paris street wage a summer-long war \
                   of desserts, until a blackout forces them to share one kitchen.",
    },
    Featured {
        title: "Mumbai Nights",
        genres: "drama musical romance",
        certificate: "PG-13",
        runtime: 158,
        language: "Hindi",
        synopsis: "A taxi driver and a struggling playback singer cross paths every night \
                   of one monsoon season. Neither will admit they are counting the days.",
    },
];

/// Band names are "The {adjective} {noun}".
pub const BAND_ADJECTIVES: &str = "Velvet|Copper|Neon|Paper|Electric|Silver|Wandering|Midnight|\
    Golden|Lonesome|Crystal|Atomic|Howling|Sunday|Restless|Painted";

/// Band-name nouns.
pub const BAND_NOUNS: &str = "Comets|Lanterns|Foxes|Saints|Arrows|Pilots|Sparrows|Machines|\
    Tigers|Satellites|Harbors|Wolves|Ghosts|Horses|Parades|Anchors";

/// Music genre slugs for concerts.
pub const MUSIC_GENRES: &str =
    "rock|pop|jazz|hip-hop|country|electronic|folk|soul|latin|indie|blues";

/// Orchestral programmes as "piece=composer".
pub const CLASSICAL: &str = "Symphony No. 9=Beethoven|The Four Seasons=Vivaldi|\
    The Nutcracker Suite=Tchaikovsky|New World Symphony=Dvořák|The Planets=Holst|\
    Symphony No. 5=Mahler";

/// Invented orchestras.
pub const ORCHESTRAS: &str = "Riverside Philharmonic|Lakeshore Symphony Orchestra|\
    Golden Coast Chamber Orchestra|High Plains Symphony";

/// Stand-up special names.
pub const SPECIALS: &str = "Overthinking It|Not My Best Week|Too Old for This|Group Chat|\
    Please Clap|Small Talk|Unsupervised|Family Business|Low Battery|Out of Office|\
    Read Receipts|Terms and Conditions|Emotional Support Human|Sorry in Advance|\
    Medium Effort|Left on Read";

/// Public-domain plays as "title=genre".
pub const PLAYS: &str = "Hamlet=tragedy|Macbeth=tragedy|Twelfth Night=comedy|\
    A Midsummer Night's Dream=comedy|The Importance of Being Earnest=comedy|\
    A Doll's House=drama|The Cherry Orchard=drama|Pygmalion=comedy|\
    Much Ado About Nothing=comedy|Romeo and Juliet=tragedy|The Seagull=drama|\
    Cyrano de Bergerac=drama|Uncle Vanya=drama|An Ideal Husband=comedy";

/// Invented theatre companies.
pub const COMPANIES: &str = "Lantern Street Players|Riverside Repertory Theatre|\
    Old Mill Theatre Company|Blue Door Ensemble|Crossroads Stage Company|Harborlight Theatre";

/// Operas as "title=language=composer".
pub const OPERAS: &str = "La Traviata=Italian=Verdi|Carmen=French=Bizet|\
    The Magic Flute=German=Mozart|Madama Butterfly=Italian=Puccini|Tosca=Italian=Puccini|\
    La Bohème=Italian=Puccini|Rigoletto=Italian=Verdi|Don Giovanni=Italian=Mozart|\
    Aida=Italian=Verdi|The Barber of Seville=Italian=Rossini|Fidelio=German=Beethoven|\
    Faust=French=Gounod";

/// Invented opera companies.
pub const OPERA_COMPANIES: &str = "Lakeshore Lyric Opera|Bayside Opera Company|\
    Northern Lights Opera|Golden Coast Opera";

/// Leagues as "league=sport".
pub const LEAGUES: &str = "Pro Soccer Championship=soccer|National Hoops Finals=basketball|\
    Gridiron Championship=football|Ice Cup Final=hockey";

/// Invented teams.
pub const TEAMS: &str = "Harbor City Mariners|Desert Kings|Lakeshore Lions|Mountain Rush|\
    Bay Area Breakers|Capital Comets|River City Rapids|Prairie Storm|Coastal Sharks|\
    Iron Valley Miners|Gulf Coast Pelicans|Summit Peaks";

/// A live-event category and how it is generated.
pub struct EventKind {
    /// Category slug.
    pub category: &'static str,
    /// How many events of this kind to create.
    pub count: usize,
    /// Duration range in minutes.
    pub minutes: (i64, i64),
    /// Standard price range in whole dollars.
    pub dollars: (i64, i64),
}

/// Live-event categories.
#[rustfmt::skip]
pub const EVENT_KINDS: [EventKind; 5] = [
    EventKind { category: "concert", count: 18, minutes: (80, 150), dollars: (40, 120) },
    EventKind { category: "comedy", count: 14, minutes: (60, 100), dollars: (35, 75) },
    EventKind { category: "theatre", count: 12, minutes: (120, 170), dollars: (40, 95) },
    EventKind { category: "opera", count: 8, minutes: (150, 180), dollars: (55, 120) },
    EventKind { category: "sports", count: 8, minutes: (150, 180), dollars: (35, 60) },
];

/// Concert descriptions; `{p}` is the performer, `{d}` the music genre.
pub const CONCERT_BLURBS: &str = "{p} live on stage: a full {d} set with songs from the new \
    record and the fan favourites.|Filmed on the final night of a sold-out run, {p} brings a \
    full-length {d} show to the big screen with full surround sound.|The {d} concert of the \
    year: {p}, a full band and a few surprise guests, broadcast live.";

/// Stand-up descriptions; `{p}` is the comedian, `{d}` the special's name.
pub const COMEDY_BLURBS: &str = "{p} takes the stage with a brand-new hour of stand-up.|\
    Recorded in front of a packed house, {d} finds {p} on family, phones and the slow horror \
    of group holidays.|{p} returns with {d}: an hour and change, no notes.";

/// Stage-play description; `{p}` is the company, `{d}` the play.
pub const PLAY_BLURB: &str = "A new production of {d} from {p}, staged with live music, filmed \
    in front of a sold-out audience and screened with the interval intact.";

/// Boxing broadcast description.
pub const FIGHT_BLURB: &str = "Every round of the title fight live on the big screen, with the \
    full undercard from 7 pm.";

/// League final description; `{p}` and `{d}` are the teams, `{s}` the sport.
pub const FINAL_BLURB: &str = "The {s} final live on the big screen with stadium sound. {p} meet \
    {d} for the title.";
