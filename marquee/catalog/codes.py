"""Names for ISO country, language and currency codes, looked up in pycountry."""

from functools import cache

import pycountry

# Short forms readers expect where the ISO name is long or formal.
COUNTRY_NAMES = {
    "KR": "South Korea",
    "KP": "North Korea",
    "US": "United States",
    "GB": "United Kingdom",
    "RU": "Russia",
    "IR": "Iran",
    "TW": "Taiwan",
    "VN": "Vietnam",
    "BO": "Bolivia",
    "VE": "Venezuela",
    "SY": "Syria",
    "TZ": "Tanzania",
    "LA": "Laos",
    "MD": "Moldova",
    "CZ": "Czechia",
    "TR": "Türkiye",
    "XW": "Worldwide",
}
LANGUAGE_NAMES = {"el": "Greek", "zh": "Chinese", "tl": "Tagalog", "fa": "Persian"}


@cache
def country_name(code: str) -> str:
    """English short name of an ISO 3166-1 alpha-2 code; the code itself when unknown."""
    code = code.upper()
    if code in COUNTRY_NAMES:
        return COUNTRY_NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        historic = pycountry.historic_countries.get(alpha_2=code)
        return historic.name if historic else code
    return getattr(country, "common_name", None) or country.name


@cache
def language_name(code: str) -> str:
    """English name of an ISO 639-1 or 639-3 code; the code itself when unknown."""
    code = code.lower()
    if code in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[code]
    if len(code) == 2:
        language = pycountry.languages.get(alpha_2=code)
    else:
        language = pycountry.languages.get(alpha_3=code)
    if language is None:
        return code
    return str(language.name).split(" (")[0].split(";")[0]


def is_country(code: str) -> bool:
    return len(code) == 2 and (
        pycountry.countries.get(alpha_2=code.upper()) is not None
        or pycountry.historic_countries.get(alpha_2=code.upper()) is not None
    )


def is_language(code: str) -> bool:
    code = code.lower()
    if len(code) == 2:
        return pycountry.languages.get(alpha_2=code) is not None
    return len(code) == 3 and pycountry.languages.get(alpha_3=code) is not None


def is_currency(code: str) -> bool:
    return len(code) == 3 and pycountry.currencies.get(alpha_3=code.upper()) is not None
