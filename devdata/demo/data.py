"""Demo data that reads like a real municipality (Helsingør-style names; invented people)."""

DEMO_PASSWORD = "aaben-skole-demo"  # noqa: S105 - printed to the terminal on purpose

MUNICIPALITY = {
    "name": "Helsingør Kommune",
    "slug": "helsingor",
    "code": "217",
    "contact_email": "aabenskole@helsingor.example",
    "contact_phone": "49 28 28 28",
    "school_email_domains": "skole.helsingor.example",
    "embed_allowed_origins": "http://127.0.0.1:8001\nhttp://localhost:8001",
    "show_public_key_figures": True,
}
OTHER_MUNICIPALITY = {"name": "Fredensborg Kommune", "slug": "fredensborg", "code": "210"}

CONSULTANT = {
    "email": "konsulent@helsingor.example",
    "full_name": "Lasse Rye Holm",
    "title": "Idræts- og eventkonsulent",
}
OPERATOR = {"email": "drift@aabenskole.example", "full_name": "Drift (operatør)"}

# name, slug, address, postal code, town, latitude, longitude
SCHOOLS = [
    ("Hornbæk Skole", "hornbaek-skole", "Skolevej 1", "3100", "Hornbæk", 56.088, 12.457),
    (
        "Espergærde Skole",
        "espergaerde-skole",
        "Stubbedamsvej 4",
        "3060",
        "Espergærde",
        55.995,
        12.553,
    ),
    ("Tikøb Skole", "tikob-skole", "Gurrevej 9", "3080", "Tikøb", 56.024, 12.468),
    (
        "Skolen ved Rønnebær Allé",
        "skolen-ved-ronnebaer-alle",
        "Rønnebær Allé 200",
        "3000",
        "Helsingør",
        56.035,
        12.590,
    ),
    ("Kingo Skole", "kingo-skole", "Kingosvej 10", "3000", "Helsingør", 56.031, 12.604),
    (
        "Snekkersten Skole",
        "snekkersten-skole",
        "Skolevej 15",
        "3070",
        "Snekkersten",
        56.006,
        12.590,
    ),
]

# The login for each role: (email, name, school slug, role)
SCHOOL_STAFF = [
    ("laerer@skole.helsingor.example", "Mette Kjær", "espergaerde-skole", "teacher"),
    (
        "afdelingsleder@skole.helsingor.example",
        "Jonas Friis",
        "espergaerde-skole",
        "department_head",
    ),
    ("skoleleder@skole.helsingor.example", "Birgitte Holm", "hornbaek-skole", "principal"),
]

# name, slug, cvr, domains, description, address, postal code, town, contact, members<18, <25
ASSOCIATIONS = [
    (
        "Helsingør Roklub",
        "helsingor-roklub",
        ["sport", "nature"],
        "Roning og kajak på Øresund for børn, unge og voksne siden 1880. Vi har en fast ungdomsafdeling "
        "og uddannede instruktører.",
        "Strandvejen 2",
        "3000",
        "Helsingør",
        ("Karin Dahl", "Ungdomsleder", "40 11 22 33", "roklub@helsingor-roklub.example"),
        85,
        120,
    ),
    (
        "Espergærde Spejderne",
        "espergaerde-spejderne",
        ["scouting", "nature"],
        "Spejdergruppe med bål, knob, natur og fællesskab. Vi kommer gerne på skolen eller tager klassen "
        "med i skoven.",
        "Spejdervej 5",
        "3060",
        "Espergærde",
        ("Peter Lund", "Gruppeleder", "41 22 33 44", "kontakt@espergaerde-spejderne.example"),
        140,
        165,
    ),
    (
        "Nordsjællands Skakklub",
        "nordsjaellands-skakklub",
        ["culture", "science"],
        "Skak for alle aldre. Skoleskak i samarbejde med Dansk Skoleskak: logik, koncentration og fair "
        "play.",
        "Biblioteksgade 3",
        "3000",
        "Helsingør",
        ("Anders Bech", "Formand", "42 33 44 55", "skak@nordskak.example"),
        40,
        55,
    ),
    (
        "Hornbæk Sejlklub",
        "hornbaek-sejlklub",
        ["sport", "nature"],
        "Jollesejlads for børn og unge i Hornbæk Havn. Vi har optimistjoller, redningsveste og "
        "instruktører med skoleerfaring.",
        "Havnevej 12",
        "3100",
        "Hornbæk",
        ("Sofie Winther", "Juniorleder", "43 44 55 66", "junior@hornbaek-sejlklub.example"),
        60,
        80,
    ),
    (
        "Kronborg Floorball",
        "kronborg-floorball",
        ["sport"],
        "Floorball er hurtigt, sjovt og let at lære. Vi tilbyder idrætsdage og forløb i idrætstimerne.",
        "Idrætsvej 8",
        "3000",
        "Helsingør",
        ("Mads Kirk", "Træner", "44 55 66 77", "info@kronborg-floorball.example"),
        110,
        150,
    ),
    (
        "Musikforeningen Tonen",
        "musikforeningen-tonen",
        ["music", "culture"],
        "Frivillige musikere, der laver sammenspil, rytmik og korsang med børn.",
        "Stengade 40",
        "3000",
        "Helsingør",
        ("Line Krogh", "Musikpædagog", "45 66 77 88", "tonen@musik.example"),
        35,
        50,
    ),
    (
        "Naturfællesskabet Gurre",
        "naturfaellesskabet-gurre",
        ["nature", "science"],
        "Naturvejledning ved Gurre Sø: smådyr, fugle, spor og bæredygtighed. Vi låner gerne ketsjere og "
        "lupper ud.",
        "Gurrevej 80",
        "3000",
        "Helsingør",
        ("Ole Bak", "Naturvejleder", "46 77 88 99", "gurre@natur.example"),
        20,
        30,
    ),
    (
        "Snekkersten Boldklub",
        "snekkersten-boldklub",
        ["sport", "social"],
        "Fodbold for alle. Vi har særlige hold for børn, der ikke er vant til foreningslivet.",
        "Boldbanevej 1",
        "3070",
        "Snekkersten",
        ("Hassan Ali", "Ungdomskoordinator", "47 88 99 00", "ungdom@snekkersten-bk.example"),
        210,
        260,
    ),
]

ASSOCIATION_MEMBERS = [
    ("forening@helsingor-roklub.example", "Karin Dahl", "helsingor-roklub", "admin"),
    ("spejder@espergaerde-spejderne.example", "Peter Lund", "espergaerde-spejderne", "admin"),
]

# association slug, title, summary, domain, subjects, grades, format, location, minutes, pupils,
# price model, price, season (from week, to week: may wrap over New Year), on_request,
# description, learning goals, bring. Every date of the demo lies in its offer's season:
# water sports in summer, the school year's offers from week 33 to week 26.
OFFERS = [
    (
        "helsingor-roklub",
        "Prøv kajak på Øresund",
        "En dag i kajak med instruktører og sikkerhedsudstyr",
        "sport",
        ["idraet", "natur-teknologi"],
        (5, 9),
        "event",
        "association",
        180,
        (10, 28),
        "per_class",
        1500,
        (18, 38),
        False,
        "Eleverne lærer grundteknik, sikkerhed på vandet og samarbejde i dobbeltkajak. Vi har kajakker, "
        "veste og våddragter til hele klassen.",
        "Idræt: natur- og udeliv; sikkerhed ved vand.",
        "Skiftetøj, håndklæde og madpakke",
    ),
    (
        "helsingor-roklub",
        "Roning i inrigger – idrætsdag",
        "Stafet og teknik i inrigger ved havnen",
        "sport",
        ["idraet"],
        (4, 10),
        "event",
        "association",
        120,
        (12, 60),
        "free",
        None,
        (33, 26),
        True,
        "Vi stiller med både og instruktører til skolens idrætsdag. Klasserne dyster i korte stafetter.",
        "Idræt: alsidig idrætsudøvelse og samarbejde.",
        "Tøj efter vejret",
    ),
    (
        "espergaerde-spejderne",
        "Bål, knob og førstehjælp",
        "Spejderdag i skoven med bål og samarbejdsopgaver",
        "scouting",
        ["natur-teknologi", "understoettende"],
        (0, 6),
        "visit",
        "elsewhere",
        240,
        (10, 30),
        "materials",
        25,
        (33, 47),
        True,
        "Klassen møder os i Krogenberg Hegn. Vi laver bål, binder knob, lærer enkel førstehjælp og "
        "slutter med snobrød.",
        "Natur/teknologi: undersøgelse og kommunikation.",
        "Udetøj og drikkedunk",
    ),
    (
        "espergaerde-spejderne",
        "Temauge: Friluftsliv",
        "Fem dage med friluftsliv, kort og kompas",
        "nature",
        ["natur-teknologi", "geografi", "idraet"],
        (3, 7),
        "theme_week",
        "school",
        300,
        (20, 50),
        "hourly",
        250,
        (35, 40),
        True,
        "Vi planlægger en temauge med skolen: orientering, shelterbyggeri, bål og en overnatning.",
        "Geografi og natur/teknologi: kort, kompas og lokalområdet.",
        "Sovepose til overnatningen",
    ),
    (
        "nordsjaellands-skakklub",
        "Skoleskak i matematik",
        "Seks dobbeltlektioner med skak og logik",
        "culture",
        ["matematik"],
        (1, 4),
        "course",
        "school",
        90,
        (15, 28),
        "per_session",
        400,
        (34, 12),
        True,
        "Et forløb over seks uger, hvor eleverne lærer skakkens regler og enkle strategier.",
        "Matematik: ræsonnement og tankegang.",
        "Ingenting – vi har brætter med",
    ),
    (
        "hornbaek-sejlklub",
        "Jollesejlads for 6. klasse",
        "Sejl din egen optimistjolle i havnen",
        "sport",
        ["idraet", "fysik-kemi"],
        (5, 7),
        "visit",
        "association",
        180,
        (8, 24),
        "per_class",
        1200,
        (20, 37),
        False,
        "Eleverne lærer om vind og sejl og prøver selv at sejle en jolle.",
        "Fysik/kemi: kræfter og bevægelse.",
        "Skiftetøj og håndklæde",
    ),
    (
        "kronborg-floorball",
        "Floorball-idrætsdag",
        "Turnering for hele årgangen med dommere fra klubben",
        "sport",
        ["idraet"],
        (2, 9),
        "event",
        "school",
        180,
        (20, 100),
        "free",
        None,
        (33, 26),
        True,
        "Vi medbringer stave, bolde og bander og afvikler en turnering for hele årgangen.",
        "Idræt: boldspil og fair play.",
        "Indendørssko",
    ),
    (
        "musikforeningen-tonen",
        "Sammenspil og rytmik",
        "Rytmik og sammenspil for indskolingen",
        "music",
        ["musik"],
        (0, 3),
        "visit",
        "school",
        90,
        (10, 28),
        "free",
        None,
        (33, 26),
        True,
        "Vi kommer med trommer og små instrumenter og laver rytmelege og sammenspil.",
        "Musik: musikudøvelse og musikforståelse.",
        "Ingenting",
    ),
    (
        "naturfaellesskabet-gurre",
        "Smådyr i Gurre Sø",
        "Find og bestem smådyr med ketsjer og lup",
        "nature",
        ["biologi", "natur-teknologi"],
        (2, 8),
        "visit",
        "elsewhere",
        150,
        (10, 28),
        "free",
        None,
        (14, 38),
        True,
        "Vi undersøger smådyr i søen og taler om vandkvalitet og fødekæder.",
        "Biologi: økosystemer og undersøgelser i naturen.",
        "Gummistøvler",
    ),
    (
        "snekkersten-boldklub",
        "Fodbold for alle",
        "Fire træninger, der bygger bro til klubben",
        "social",
        ["idraet"],
        (1, 6),
        "course",
        "association",
        90,
        (12, 26),
        "free",
        None,
        (33, 48),
        True,
        "Et forløb, hvor klassen træner med vores ungdomstrænere og får en invitation til klubben.",
        "Idræt: boldspil; trivsel og fællesskab.",
        "Sportstøj",
    ),
]

# Where an offer held "elsewhere" takes place, when that is not the association's address.
OFFER_PLACES = {"Bål, knob og førstehjælp": "Krogenberg Hegn, Espergærde"}

# Positions on the map (latitude, longitude; near the addresses, not surveyed).
ASSOCIATION_POSITIONS = {
    "helsingor-roklub": (56.0335, 12.6175),
    "espergaerde-spejderne": (55.9960, 12.5450),
    "nordsjaellands-skakklub": (56.0355, 12.6105),
    "hornbaek-sejlklub": (56.0935, 12.4600),
    "kronborg-floorball": (56.0300, 12.5850),
    "musikforeningen-tonen": (56.0360, 12.6115),
    "naturfaellesskabet-gurre": (56.0300, 12.5200),
    "snekkersten-boldklub": (56.0060, 12.5800),
}
OFFER_PLACE_POSITIONS = {"Bål, knob og førstehjælp": (55.9900, 12.5350)}

# The consultant's areas on the map (geo.MapArea): name, description, public?, outline
# ([longitude, latitude], GeoJSON's order). Drawn roughly for the demo.
MAP_AREAS = [
    (
        "Vapnagård",
        "Boligområde med en høj andel børn og unge uden for foreningslivet (demo).",
        True,
        [[12.578, 56.040], [12.592, 56.040], [12.592, 56.047], [12.578, 56.047], [12.578, 56.040]],
    ),
    (
        "Nøjsomhed",
        "Fokusområde i partnerskabsarbejdet (demo; kun for konsulenter).",
        False,
        [[12.575, 56.020], [12.590, 56.020], [12.590, 56.027], [12.575, 56.027], [12.575, 56.020]],
    ),
]

# The municipality's own leisure institutions and clubs (partners besides associations):
# name, kind, address
LEISURE_INSTITUTIONS = [
    ("Klub Espergærde", "club", "Stationsvej 12, 3060 Espergærde"),
    ("Fritidscenter Hornbæk", "centre", "Sauntevej 3, 3100 Hornbæk"),
]

# Partnerships: partner (association slug or institution name), school slugs, years, yearly
# grant (DKK or None), resource person (name, e-mail, phone), active?
PARTNERSHIPS = [
    (
        "helsingor-roklub",
        ["espergaerde-skole"],
        3,
        200000,
        ("Anders Vinther", "ressource@helsingor-roklub.example", "21 43 65 87"),
        True,
    ),
    (
        "Klub Espergærde",
        ["espergaerde-skole", "hornbaek-skole"],
        2,
        None,
        ("Nadia Berg", "nadia.berg@helsingor.example", ""),
        False,
    ),
]

# The rowing club's action plan: focus area -> goal, (indicator, target), what, who, when
PLAN_TITLE = "Handleplan for Helsingør Roklub"
PLAN_AREAS = {
    "Rekruttering og inddragelse af frivillige/trænere": (
        "Flere forældre bliver hjælpetrænere i ungdomsafdelingen.",
        ("Hjælpetrænere med kursus", "8 inden sommeren"),
        "Kursus i sikkerhed på vandet for nye hjælpetrænere",
        "Ressourcepersonen og to erfarne instruktører",
        "Hver anden lørdag i foråret",
    ),
    "Indgåelse af lokale samarbejder om målgruppen": (
        "Skolens 5. årgang prøver roning, og de interesserede fortsætter i klubben.",
        ("Elever, der kommer igen efter skoledagen", "15 om året"),
        "Prøvedag i kajak for Espergærde Skoles 5. årgang",
        "Instruktørerne sammen med klassernes lærere",
        "Uge 35",
    ),
}

# The youth club's action plan, written by the consultant on the club's behalf and approved
# (a municipal institution has no users on the portal): focus area -> as PLAN_AREAS.
INSTITUTION_PLAN_TITLE = "Handleplan for Klub Espergærde"
INSTITUTION_PLAN_AREAS = {
    "Rekruttering af udsatte børn og unge": (
        "Flere unge fra Espergærde Skoles udskoling finder vej til klubben.",
        ("Nye medlemmer fra 7.-9. årgang", "20 i skoleåret"),
        "Klubben præsenterer sig på skolens forældremøder og holder åbent hus efter skoletid",
        "Klublederen og skolens AKT-lærer",
        "August og januar",
    ),
    "Inddragelse af forældre": (
        "Forældrene kender klubben og hjælper til ved arrangementer.",
        ("Forældre på hjælperlisten", "12 inden sommerferien"),
        "Fællesspisning for unge og forældre med rundvisning i værkstederne",
        "Klubbens pædagoger",
        "Første torsdag i måneden",
    ),
}

# --- The knowledge bank (devdata/demo/knowledge.py) -------------------------------------------

KNOWLEDGE_CATEGORIES = [
    ("kom-i-gang", "Kom i gang"),
    ("skabeloner-og-tjeklister", "Skabeloner og tjeklister"),
    ("gode-eksempler", "Gode eksempler"),
]
EXAMPLE_CATEGORY = "gode-eksempler"
KNOWLEDGE_ITEMS = [
    {
        "kind": "guide",
        "category": "kom-i-gang",
        "title": "Sådan planlægger I et Åben Skole-forløb",
        "summary": "Fra idé til aftale på fire uger: hvem gør hvad, og hvornår.",
        "body": (
            "Start tidligt på skoleåret. Temauger og idrætsdage ligger fast i august, så "
            "foreningerne kan nå at finde instruktører.\n\n"
            "Aftal mål, tid, sted og antal elever skriftligt, og knyt forløbet til Fælles Mål "
            "for fag og klassetrin.\n\n"
            "Evaluér bagefter: både skolen og foreningen giver en vurdering på portalen."
        ),
        "audience": "both",
        "tags": ["Planlægning", "Fælles Mål"],
        "shared": True,
    },
    {
        "kind": "guide",
        "category": "kom-i-gang",
        "title": "Godt at vide for foreninger, der er nye i skolen",
        "summary": "Skoledagens rytme, klasseledelse og hvem I taler med på skolen.",
        "body": (
            "En skoletime er 45 minutter, og eleverne har pauser på faste tidspunkter.\n\n"
            "Læreren har ansvaret for klassen; instruktøren har ansvaret for aktiviteten. "
            "Aftal på forhånd, hvem der gør hvad.\n\n"
            "Afdelingslederen er ofte den, der svarer hurtigst."
        ),
        "audience": "associations",
        "tags": ["Instruktører"],
    },
    {
        "kind": "guide",
        "category": "kom-i-gang",
        "title": "Børneattester: hvad skal foreningen gøre?",
        "summary": "Loven kræver børneattest for alle, der arbejder med børn under 15 år.",
        "body": (
            "Foreningen indhenter børneattester for sine instruktører og bekræfter det på "
            "portalen.\n\nKommunen kan kræve, at attesten ikke er ældre end et bestemt antal dage."
        ),
        "audience": "associations",
        "tags": ["Børneattest"],
    },
    {
        "kind": "guide",
        "category": "kom-i-gang",
        "title": "Sådan finder I det rigtige tilbud til klassen",
        "summary": "Søg, filtrér på klassetrin og fag, og gem favoritter til teamet.",
        "body": (
            "Brug kataloget til at søge på emne, klassetrin og område.\n\n"
            "Gem tilbud som favoritter, og del dem med teamet før planlægningsmødet."
        ),
        "audience": "schools",
        "tags": ["Planlægning"],
    },
    {
        "kind": "checklist",
        "category": "skabeloner-og-tjeklister",
        "title": "Tjekliste til idrætsdagen",
        "summary": "Alt det praktiske fra bestilling af hal til førstehjælp.",
        "body": (
            "Hal eller bane bestilt\n\nInstruktører og børneattester bekræftet\n\n"
            "Førstehjælpskasse og vand\n\nHoldinddeling sendt til lærerne\n\n"
            "Plan for dårligt vejr"
        ),
        "audience": "both",
        "tags": ["Idrætsdag"],
        "grade_min": 0,
        "grade_max": 9,
        "domain": "sport",
    },
    {
        "kind": "checklist",
        "category": "skabeloner-og-tjeklister",
        "title": "Tjekliste før første besøg på skolen",
        "summary": "Det instruktøren skal vide, før klassen møder op.",
        "body": (
            "Antal elever og særlige behov\n\nMødested og kontaktlærer\n\n"
            "Udstyr, eleverne selv skal have med"
        ),
        "audience": "associations",
        "tags": ["Instruktører"],
        "is_public": False,
    },
    {
        "kind": "template",
        "category": "skabeloner-og-tjeklister",
        "title": "Samarbejdsaftale mellem skole og forening",
        "summary": "En aftale på én side: mål, tid, sted, pris og kontaktpersoner.",
        "audience": "both",
        "tags": ["Aftale"],
        "file": "docx",
    },
    {
        "kind": "template",
        "category": "skabeloner-og-tjeklister",
        "title": "Evalueringsskema til eleverne",
        "summary": "Fem spørgsmål, eleverne besvarer efter forløbet.",
        "audience": "schools",
        "tags": ["Evaluering"],
        "file": "pdf",
        "is_public": False,
    },
]
EXAMPLE_STORY = (
    "Klassen fik en hel formiddag med foreningens instruktører, som havde forberedt "
    "aktiviteter til netop dette klassetrin.\n\n"
    "Læreren og instruktøren aftalte på forhånd, hvem der tog sig af hvad, og eleverne "
    "arbejdede i små hold. Flere elever har siden meldt sig ind i foreningen.\n\n"
    "Det, vi vil give videre: aftal tid og sted tidligt, og send holdlisterne dagen før."
)
PARTNERSHIP_EXAMPLE = {
    "title": "Roklubben og skolerne: fra én dag på vandet til et partnerskab",
    "summary": "Sådan blev et enkelt besøg til et samarbejde over flere år.",
    "body": (
        "Det startede med en enkelt dag på vandet for en 6. klasse. Året efter kom to klasser "
        "mere, og kommunen foreslog et partnerskab.\n\n"
        "Nu har klubben en handleplan med mål for fællesskab og bevægelse, og skolens lærere "
        "kender instruktørerne ved navn."
    ),
    "audience": "both",
    "domain": "sport",
    "grade_min": 5,
    "grade_max": 7,
}

# Network meetings and events: title, kind, audience, days from today, (from hour, to hour),
# place, capacity, description. Seed 002: three to four network meetings a year for the
# partners' resource persons; seed 004: knowledge-sharing events where schools inspire schools.
NETWORK_EVENTS = [
    (
        "Netværksmøde for ressourcepersoner",
        "network",
        "invited",
        21,
        (17, 19),
        "Kulturværftet, Allégade 2, 3000 Helsingør",
        4,
        "Erfaringsudveksling og sparring på tværs af foreningerne: hvordan fastholder vi de "
        "frivillige trænere? Vi spiser sammen bagefter.",
    ),
    (
        "Videndeling: Åben Skole-forløb der virker",
        "knowledge",
        "open",
        35,
        (14, 16),
        "Rådhuset, Stengade 59, 3000 Helsingør",
        60,
        "Skoler og foreninger fortæller kort om forløb, der lykkedes, og hvad de lærte. For "
        "lærere, pædagoger, ledere og foreningernes instruktører.",
    ),
]
# title -> (who signs up, for which association or school slug, participants)
NETWORK_SIGN_UPS = {
    "Netværksmøde for ressourcepersoner": [
        ("forening@helsingor-roklub.example", "helsingor-roklub", 3),
        ("afdelingsleder@skole.helsingor.example", "espergaerde-skole", 2),  # waits
    ],
    "Videndeling: Åben Skole-forløb der virker": [
        ("laerer@skole.helsingor.example", "espergaerde-skole", 2),
    ],
}

# The rowing club's status meetings (seed 002: two a year): kind, days from today, hour,
# place, invite the participants by e-mail. The one in the past has minutes.
STATUS_MEETINGS = [
    ("resource_person", -30, 16, "Helsingør Roklub, klubhuset, Strandpromenaden 3", False),
    ("board", 21, 19, "Kulturværftet, mødelokale 2", True),
]
# The minutes' status of the goals, in the plan's order (repeated), and the rest.
MINUTES_STATUSES = [
    ("on_track", "Fem forældre er i gang med kurset; tre mere har meldt sig."),
    ("behind", "Prøvedagen blev flyttet på grund af vejret; ny dato aftales med skolen."),
]
MINUTES_NEXT_STEPS = (
    "Ny prøvedag for 5. årgang inden efterårsferien. Karin sender datoforslag til skolen, "
    "og kommunen hjælper med bus. Næste statusmøde er med bestyrelsen."
)
MINUTES_INTERNAL_NOTES = "Klubben har svært ved at finde trænere om lørdagen; følg op i foråret."
