"""Word lists that make the synthetic source look like a real sales business.

Kept apart from the generator so the plausibility rules (real ISO currency codes, the four
payment types, cities with their own country, postcode style and dialling code) are reviewable
at a glance.
"""

from __future__ import annotations

# ISO 4217 codes with weights: a UK company trading mostly in GBP, USD and EUR.
CURRENCIES: tuple[tuple[str, float], ...] = (
    ("GBP", 0.45), ("USD", 0.25), ("EUR", 0.2), ("CHF", 0.04), ("JPY", 0.03), ("AUD", 0.03),
)

PAYMENT_TYPES: tuple[str, ...] = (
    "SALES_RECEIPT", "SALES_REFUND", "PURCHASE_PAYMENT", "PURCHASE_REFUND",
)

DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("Sales", "Manchester", "Richard Roma"),
    ("Purchasing", "Manchester", "Naomi Lapaglia"),
    ("Production", "Leeds", "Chester Ray"),
    ("Dispatch", "Leeds", "Mark Hanna"),
    ("Finance", "Manchester", "Jordan Belfort"),
    ("Facilities", "Manchester", "Shelley Levene"),
    ("Communications", "Leeds", "Ann Blake"),
    ("HR", "Leeds", "James Link"),
)

FIRST_NAMES: tuple[str, ...] = (
    "Jeremie", "Deron", "Jeanette", "Ana", "Magdalena", "Korey", "Raphael", "Oswaldo", "Brody",
    "Jazmyn", "Meda", "Imani", "Stan", "Rigoberto", "Tom", "Pierre", "Flavio", "Carole", "Mina",
    "Yuki", "Amara", "Oliver", "Priya", "Lukas", "Sofia", "Mateo", "Aisha", "Noah", "Ingrid",
)

LAST_NAMES: tuple[str, ...] = (
    "Franey", "Beier", "Erdman", "Glover", "Zieme", "Murphy", "Rippin", "Bruen", "Ratke",
    "Hansen", "Cremin", "Fahey", "Leannon", "Kohler", "Frami", "Yundt", "Macejkovic", "Predovic",
    "Morar", "Okafor", "Tanaka", "Schmidt", "Dubois", "Rossi", "Garcia", "Nowak", "Larsen",
)

COMPANY_SUFFIXES: tuple[str, ...] = (
    " and Sons", " Inc", " LLC", " Ltd", " Group", " GmbH", " & Partners", " Trading Co",
)

STREETS: tuple[str, ...] = (
    "High Street", "Station Road", "Market Street", "Church Lane", "Mill Road", "Oxford Road",
    "Deansgate", "Kings Avenue", "Queen Street", "Harbour Way", "Park Lane", "Bridge Street",
    "Main Street", "Elm Avenue", "Rue de Rivoli", "Hauptstrasse", "Via Roma", "Calle Mayor",
)

DISTRICTS: tuple[str, ...] = (
    "Avon", "Bedfordshire", "Cambridgeshire", "Cheshire", "Kent", "Lancashire", "Surrey",
    "Yorkshire", "Bavaria", "Ile-de-France", "Lombardy", "Catalonia", "California", "Texas",
)

# city, country, postcode style, dialling code
LOCALES: tuple[tuple[str, str, str, str], ...] = (
    ("Manchester", "United Kingdom", "uk:M", "+44"),
    ("Leeds", "United Kingdom", "uk:LS", "+44"),
    ("London", "United Kingdom", "uk:EC", "+44"),
    ("Bristol", "United Kingdom", "uk:BS", "+44"),
    ("Glasgow", "United Kingdom", "uk:G", "+44"),
    ("New York", "United States", "digits5", "+1"),
    ("Austin", "United States", "digits5", "+1"),
    ("San Francisco", "United States", "digits5", "+1"),
    ("Berlin", "Germany", "digits5", "+49"),
    ("Munich", "Germany", "digits5", "+49"),
    ("Paris", "France", "digits5", "+33"),
    ("Lyon", "France", "digits5", "+33"),
    ("Milan", "Italy", "digits5", "+39"),
    ("Madrid", "Spain", "digits5", "+34"),
    ("Amsterdam", "Netherlands", "nl", "+31"),
    ("Zurich", "Switzerland", "digits4", "+41"),
    ("Sydney", "Australia", "digits4", "+61"),
    ("Tokyo", "Japan", "jp", "+81"),
)

DESIGN_WORDS: tuple[str, ...] = (
    "Wooden", "Steel", "Granite", "Bronze", "Cotton", "Fresh", "Frozen", "Rubber", "Plastic",
    "Concrete", "Soft", "Metal", "Bamboo", "Leather", "Linen", "Velvet", "Denim", "Canvas",
)

FILE_LOCATIONS: tuple[str, ...] = (
    "/usr/share", "/private/var", "/System", "/Users", "/opt/include", "/home/user/dir",
    "/usr/local/src", "/srv/designs", "/Library", "/var/lib/totes",
)
