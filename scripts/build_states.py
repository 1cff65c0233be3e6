"""Draft src/allies/data/states.csv from pycountry and the COW / Gleditsch-Ward state lists.

Usage: python scripts/build_states.py [--data ../shared/data] [--out FILE]

The committed states.csv is the curated result, reviewed by hand: this script
only saves the mechanical part of that work and checks it. It reads ISO 3166
codes from pycountry and the COW and Gleditsch-Ward codes from the copies of
those data sets in the shared data folder (never from a copy in the project).
Names, aliases, regions, notes and the dates that do not come from COW or GW
are curated below; each is backed by a source in
src/allies/data/sources/states.yaml.

It stops with an error when a code cannot be matched, when a COW or GW code
does not belong to a state that is current in that list (for current states),
when the number of UN members is not 193, or when an alias is used twice.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT.parent / "shared" / "data"
DEFAULT_OUT = ROOT / "src" / "allies" / "data" / "states.csv"
COLUMNS = [
    "id",
    "name",
    "iso2",
    "iso_numeric",
    "cow",
    "gw",
    "region",
    "un_member",
    "start",
    "end",
    "aliases",
    "note",
    "sources",
]

# UN M49 regions (code 002 Africa, 019 Americas, 142 Asia, 150 Europe, 009 Oceania), as in the
# regional-code table cited as states-m49-regions. Kosovo and the historical states are not in
# that table: they get the region of the states that now hold their territory.
REGIONS: dict[str, str] = {}
for _region, _ids in {
    "Africa": "AGO BDI BEN BFA BWA CAF CIV CMR COD COG COM CPV DJI DZA EGY ERI ETH GAB GHA GIN GMB GNB "
    "GNQ KEN LBR LBY LSO MAR MDG MLI MOZ MRT MUS MWI NAM NER NGA RWA SDN SEN SLE SOM SSD STP SWZ SYC "
    "TCD TGO TUN TZA UGA ZAF ZMB ZWE",
    "Americas": "ARG ATG BHS BLZ BOL BRA BRB CAN CHL COL CRI CUB DMA DOM ECU GRD GTM GUY HND HTI JAM KNA "
    "LCA MEX NIC PAN PER PRY SLV SUR TTO URY USA VCT VEN",
    "Asia": "AFG ARE ARM AZE BGD BHR BRN BTN CHN CYP GEO IDN IND IRN IRQ ISR JOR JPN KAZ KGZ KHM KOR KWT "
    "LAO LBN LKA MDV MMR MNG MYS NPL OMN PAK PHL PRK PSE QAT SAU SGP SYR THA TJK TKM TLS TUR TWN UZB "
    "VNM YEM",
    "Europe": "ALB AND AUT BEL BGR BIH BLR CHE CZE DEU DNK ESP EST FIN FRA GBR GRC HRV HUN IRL ISL ITA "
    "LIE LTU LUX LVA MCO MDA MKD MLT MNE NLD NOR POL PRT ROU RUS SMR SRB SVK SVN SWE UKR",
    "Oceania": "AUS FJI FSM KIR MHL NRU NZL PLW PNG SLB TON TUV VUT WSM",
}.items():
    for _id in _ids.split():
        REGIONS[_id] = _region
REGIONS.update(
    {
        "XKX": "Europe",
        "SUN": "Europe",
        "YUG": "Europe",
        "DDR": "Europe",
        "CSK": "Europe",
        "SCG": "Europe",
        "RVN": "Asia",
        "VDR": "Asia",
        "YMD": "Asia",
    }
)

# The 193 UN member states: id -> (name, COW abbreviation, aliases). The COW abbreviation picks the
# COW code; the GW code is the same number unless GW_OVERRIDE says otherwise.
UN_MEMBERS: dict[str, tuple[str, str, str]] = {
    "AFG": ("Afghanistan", "AFG", "Islamic Republic of Afghanistan"),
    "ALB": ("Albania", "ALB", "Republic of Albania"),
    "DZA": ("Algeria", "ALG", "People's Democratic Republic of Algeria"),
    "AND": ("Andorra", "AND", "Principality of Andorra"),
    "AGO": ("Angola", "ANG", "Republic of Angola"),
    "ATG": ("Antigua and Barbuda", "AAB", "Antigua & Barbuda|Antigua"),
    "ARG": ("Argentina", "ARG", "Argentine Republic"),
    "ARM": ("Armenia", "ARM", "Republic of Armenia"),
    "AUS": ("Australia", "AUL", "Commonwealth of Australia"),
    "AUT": ("Austria", "AUS", "Republic of Austria"),
    "AZE": ("Azerbaijan", "AZE", "Republic of Azerbaijan"),
    "BHS": ("Bahamas", "BHM", "The Bahamas|Bahamas, The|Commonwealth of The Bahamas"),
    "BHR": ("Bahrain", "BAH", "Kingdom of Bahrain"),
    "BGD": ("Bangladesh", "BNG", "People's Republic of Bangladesh"),
    "BRB": ("Barbados", "BAR", ""),
    "BLR": ("Belarus", "BLR", "Republic of Belarus|Byelorussia|Belorussia|Byelorussian SSR"),
    "BEL": ("Belgium", "BEL", "Kingdom of Belgium"),
    "BLZ": ("Belize", "BLZ", "British Honduras"),
    "BEN": ("Benin", "BEN", "Republic of Benin|Dahomey"),
    "BTN": ("Bhutan", "BHU", "Kingdom of Bhutan"),
    "BOL": ("Bolivia", "BOL", "Plurinational State of Bolivia|Bolivia (Plurinational State of)"),
    "BIH": ("Bosnia and Herzegovina", "BOS", "Bosnia|Bosnia-Herzegovina|Bosnia & Herzegovina|BiH"),
    "BWA": ("Botswana", "BOT", "Republic of Botswana|Bechuanaland"),
    "BRA": ("Brazil", "BRA", "Federative Republic of Brazil"),
    "BRN": ("Brunei", "BRU", "Brunei Darussalam"),
    "BGR": ("Bulgaria", "BUL", "Republic of Bulgaria"),
    "BFA": ("Burkina Faso", "BFO", "Upper Volta|Burkina"),
    "BDI": ("Burundi", "BUI", "Republic of Burundi"),
    "CPV": ("Cabo Verde", "CAP", "Cape Verde|Republic of Cabo Verde"),
    "KHM": ("Cambodia", "CAM", "Kingdom of Cambodia|Kampuchea"),
    "CMR": ("Cameroon", "CAO", "Republic of Cameroon"),
    "CAN": ("Canada", "CAN", ""),
    "CAF": ("Central African Republic", "CEN", "CAR"),
    "TCD": ("Chad", "CHA", "Republic of Chad"),
    "CHL": ("Chile", "CHL", "Republic of Chile"),
    "CHN": ("China", "CHN", "People's Republic of China|PRC|Mainland China"),
    "COL": ("Colombia", "COL", "Republic of Colombia"),
    "COM": ("Comoros", "COM", "Union of the Comoros|The Comoros"),
    "COG": (
        "Republic of the Congo",
        "CON",
        "Congo|Congo-Brazzaville|Congo (Brazzaville)|Congo, Republic of the",
    ),
    "COD": (
        "Democratic Republic of the Congo",
        "DRC",
        "DR Congo|DRC|DROC|Congo-Kinshasa|Congo (Kinshasa)|Congo, Democratic Republic of the|Zaire",
    ),
    "CRI": ("Costa Rica", "COS", "Republic of Costa Rica"),
    "CIV": ("Côte d'Ivoire", "CDI", "Ivory Coast|Cote d'Ivoire|Republic of Côte d'Ivoire"),
    "HRV": ("Croatia", "CRO", "Republic of Croatia"),
    "CUB": ("Cuba", "CUB", "Republic of Cuba"),
    "CYP": ("Cyprus", "CYP", "Republic of Cyprus"),
    "CZE": ("Czechia", "CZR", "Czech Republic|Czech"),
    "DNK": ("Denmark", "DEN", "Kingdom of Denmark"),
    "DJI": ("Djibouti", "DJI", "Republic of Djibouti"),
    "DMA": ("Dominica", "DMA", "Commonwealth of Dominica"),
    "DOM": ("Dominican Republic", "DOM", ""),
    "ECU": ("Ecuador", "ECU", "Republic of Ecuador"),
    "EGY": ("Egypt", "EGY", "Arab Republic of Egypt"),
    "SLV": ("El Salvador", "SAL", "Republic of El Salvador"),
    "GNQ": ("Equatorial Guinea", "EQG", "Republic of Equatorial Guinea"),
    "ERI": ("Eritrea", "ERI", "State of Eritrea"),
    "EST": ("Estonia", "EST", "Republic of Estonia"),
    "SWZ": ("Eswatini", "SWA", "Swaziland|Kingdom of Eswatini"),
    "ETH": ("Ethiopia", "ETH", "Federal Democratic Republic of Ethiopia|Abyssinia"),
    "FJI": ("Fiji", "FIJ", "Republic of Fiji"),
    "FIN": ("Finland", "FIN", "Republic of Finland"),
    "FRA": ("France", "FRN", "French Republic"),
    "GAB": ("Gabon", "GAB", "Gabonese Republic"),
    "GMB": ("Gambia", "GAM", "The Gambia|Gambia, The|Republic of The Gambia"),
    "GEO": ("Georgia", "GRG", "Republic of Georgia"),
    "DEU": ("Germany", "GMY", "West Germany|Federal Republic of Germany|FRG"),
    "GHA": ("Ghana", "GHA", "Republic of Ghana|Gold Coast"),
    "GRC": ("Greece", "GRC", "Hellenic Republic"),
    "GRD": ("Grenada", "GRN", ""),
    "GTM": ("Guatemala", "GUA", "Republic of Guatemala"),
    "GIN": ("Guinea", "GUI", "Republic of Guinea|Guinea-Conakry"),
    "GNB": ("Guinea-Bissau", "GNB", "Republic of Guinea-Bissau|Portuguese Guinea"),
    "GUY": ("Guyana", "GUY", "Co-operative Republic of Guyana|British Guiana"),
    "HTI": ("Haiti", "HAI", "Republic of Haiti"),
    "HND": ("Honduras", "HON", "Republic of Honduras"),
    "HUN": ("Hungary", "HUN", ""),
    "ISL": ("Iceland", "ICE", ""),
    "IND": ("India", "IND", "Republic of India"),
    "IDN": ("Indonesia", "INS", "Republic of Indonesia"),
    "IRN": ("Iran", "IRN", "Islamic Republic of Iran|Iran (Islamic Republic of)|Persia"),
    "IRQ": ("Iraq", "IRQ", "Republic of Iraq"),
    "IRL": ("Ireland", "IRE", "Republic of Ireland|Eire"),
    "ISR": ("Israel", "ISR", "State of Israel"),
    "ITA": ("Italy", "ITA", "Italian Republic"),
    "JAM": ("Jamaica", "JAM", ""),
    "JPN": ("Japan", "JPN", ""),
    "JOR": ("Jordan", "JOR", "Hashemite Kingdom of Jordan|Transjordan"),
    "KAZ": ("Kazakhstan", "KZK", "Republic of Kazakhstan|Kazakstan"),
    "KEN": ("Kenya", "KEN", "Republic of Kenya"),
    "KIR": ("Kiribati", "KIR", "Republic of Kiribati"),
    "KWT": ("Kuwait", "KUW", "State of Kuwait"),
    "KGZ": ("Kyrgyzstan", "KYR", "Kyrgyz Republic|Kirghizia"),
    "LAO": ("Laos", "LAO", "Lao People's Democratic Republic|Lao PDR"),
    "LVA": ("Latvia", "LAT", "Republic of Latvia"),
    "LBN": ("Lebanon", "LEB", "Lebanese Republic"),
    "LSO": ("Lesotho", "LES", "Kingdom of Lesotho|Basutoland"),
    "LBR": ("Liberia", "LBR", "Republic of Liberia"),
    "LBY": ("Libya", "LIB", "State of Libya|Libyan Arab Jamahiriya"),
    "LIE": ("Liechtenstein", "LIE", "Principality of Liechtenstein"),
    "LTU": ("Lithuania", "LIT", "Republic of Lithuania"),
    "LUX": ("Luxembourg", "LUX", "Grand Duchy of Luxembourg"),
    "MDG": ("Madagascar", "MAG", "Republic of Madagascar|Malagasy Republic"),
    "MWI": ("Malawi", "MAW", "Republic of Malawi|Nyasaland"),
    "MYS": ("Malaysia", "MAL", "Malaya|Federation of Malaya"),
    "MDV": ("Maldives", "MAD", "Republic of Maldives|Maldive Islands"),
    "MLI": ("Mali", "MLI", "Republic of Mali"),
    "MLT": ("Malta", "MLT", "Republic of Malta"),
    "MHL": ("Marshall Islands", "MSI", "Republic of the Marshall Islands|RMI"),
    "MRT": ("Mauritania", "MAA", "Islamic Republic of Mauritania"),
    "MUS": ("Mauritius", "MAS", "Republic of Mauritius"),
    "MEX": ("Mexico", "MEX", "United Mexican States"),
    "FSM": ("Micronesia", "FSM", "Federated States of Micronesia|Micronesia, Federated States of"),
    "MDA": ("Moldova", "MLD", "Republic of Moldova|Moldavia"),
    "MCO": ("Monaco", "MNC", "Principality of Monaco"),
    "MNG": ("Mongolia", "MON", "Mongolian People's Republic"),
    "MNE": ("Montenegro", "MNG", ""),
    "MAR": ("Morocco", "MOR", "Kingdom of Morocco"),
    "MOZ": ("Mozambique", "MZM", "Republic of Mozambique"),
    "MMR": ("Myanmar", "MYA", "Burma|Republic of the Union of Myanmar"),
    "NAM": ("Namibia", "NAM", "Republic of Namibia|South West Africa"),
    "NRU": ("Nauru", "NAU", "Republic of Nauru"),
    "NPL": ("Nepal", "NEP", "Federal Democratic Republic of Nepal"),
    "NLD": ("Netherlands", "NTH", "Kingdom of the Netherlands|The Netherlands|Holland"),
    "NZL": ("New Zealand", "NEW", "NZ"),
    "NIC": ("Nicaragua", "NIC", "Republic of Nicaragua"),
    "NER": ("Niger", "NIR", "Republic of the Niger|Republic of Niger"),
    "NGA": ("Nigeria", "NIG", "Federal Republic of Nigeria"),
    "PRK": (
        "North Korea",
        "PRK",
        "DPRK|N. Korea|Democratic People's Republic of Korea|Korea, North|"
        "Korea, Democratic People's Republic of",
    ),
    "MKD": (
        "North Macedonia",
        "MAC",
        "Macedonia|FYROM|Republic of North Macedonia|Former Yugoslav Republic of Macedonia|"
        "The former Yugoslav Republic of Macedonia",
    ),
    "NOR": ("Norway", "NOR", "Kingdom of Norway"),
    "OMN": ("Oman", "OMA", "Sultanate of Oman|Muscat and Oman"),
    "PAK": ("Pakistan", "PAK", "Islamic Republic of Pakistan"),
    "PLW": ("Palau", "PAL", "Republic of Palau"),
    "PAN": ("Panama", "PAN", "Republic of Panama"),
    "PNG": ("Papua New Guinea", "PNG", "Independent State of Papua New Guinea"),
    "PRY": ("Paraguay", "PAR", "Republic of Paraguay"),
    "PER": ("Peru", "PER", "Republic of Peru"),
    "PHL": ("Philippines", "PHI", "Republic of the Philippines|The Philippines"),
    "POL": ("Poland", "POL", "Republic of Poland"),
    "PRT": ("Portugal", "POR", "Portuguese Republic"),
    "QAT": ("Qatar", "QAT", "State of Qatar"),
    "ROU": ("Romania", "ROM", "Rumania|Roumania"),
    "RUS": ("Russia", "RUS", "Russian Federation"),
    "RWA": ("Rwanda", "RWA", "Republic of Rwanda"),
    "KNA": (
        "Saint Kitts and Nevis",
        "SKN",
        "St. Kitts and Nevis|St Kitts and Nevis|Saint Christopher and Nevis",
    ),
    "LCA": ("Saint Lucia", "SLU", "St. Lucia|St Lucia"),
    "VCT": (
        "Saint Vincent and the Grenadines",
        "SVG",
        "St. Vincent and the Grenadines|St Vincent and the Grenadines|St. Vincent",
    ),
    "WSM": ("Samoa", "WSM", "Independent State of Samoa|Western Samoa"),
    "SMR": ("San Marino", "SNM", "Republic of San Marino"),
    "STP": (
        "São Tomé and Príncipe",
        "STP",
        "Sao Tome and Principe|Democratic Republic of São Tomé and Príncipe",
    ),
    "SAU": ("Saudi Arabia", "SAU", "Kingdom of Saudi Arabia|KSA"),
    "SEN": ("Senegal", "SEN", "Republic of Senegal"),
    "SRB": ("Serbia", "YUG", "Republic of Serbia"),
    "SYC": ("Seychelles", "SEY", "Republic of Seychelles"),
    "SLE": ("Sierra Leone", "SIE", "Republic of Sierra Leone"),
    "SGP": ("Singapore", "SIN", "Republic of Singapore"),
    "SVK": ("Slovakia", "SLO", "Slovak Republic"),
    "SVN": ("Slovenia", "SLV", "Republic of Slovenia"),
    "SLB": ("Solomon Islands", "SOL", "British Solomon Islands"),
    "SOM": ("Somalia", "SOM", "Federal Republic of Somalia|Somali Republic"),
    "ZAF": ("South Africa", "SAF", "Republic of South Africa|RSA"),
    "KOR": ("South Korea", "ROK", "S. Korea|ROK|Republic of Korea|Korea, South|Korea, Republic of"),
    "SSD": ("South Sudan", "SSD", "Republic of South Sudan"),
    "ESP": ("Spain", "SPN", "Kingdom of Spain"),
    "LKA": ("Sri Lanka", "SRI", "Democratic Socialist Republic of Sri Lanka|Ceylon"),
    "SDN": ("Sudan", "SUD", "Republic of the Sudan|The Sudan"),
    "SUR": ("Suriname", "SUR", "Republic of Suriname|Surinam|Dutch Guiana"),
    "SWE": ("Sweden", "SWD", "Kingdom of Sweden"),
    "CHE": ("Switzerland", "SWZ", "Swiss Confederation"),
    "SYR": ("Syria", "SYR", "Syrian Arab Republic"),
    "TJK": ("Tajikistan", "TAJ", "Republic of Tajikistan"),
    "TZA": ("Tanzania", "TAZ", "United Republic of Tanzania|Tanzania, United Republic of|Tanganyika"),
    "THA": ("Thailand", "THI", "Kingdom of Thailand|Siam"),
    "TLS": ("Timor-Leste", "ETM", "East Timor|Timor Leste|Democratic Republic of Timor-Leste"),
    "TGO": ("Togo", "TOG", "Togolese Republic"),
    "TON": ("Tonga", "TON", "Kingdom of Tonga"),
    "TTO": ("Trinidad and Tobago", "TRI", "Trinidad & Tobago|Republic of Trinidad and Tobago|Trinidad"),
    "TUN": ("Tunisia", "TUN", "Republic of Tunisia|Tunisian Republic"),
    "TUR": ("Türkiye", "TUR", "Turkey|Turkiye|Republic of Türkiye|Republic of Turkey"),
    "TKM": ("Turkmenistan", "TKM", "Turkmenia"),
    "TUV": ("Tuvalu", "TUV", "Ellice Islands"),
    "UGA": ("Uganda", "UGA", "Republic of Uganda"),
    "UKR": ("Ukraine", "UKR", "The Ukraine"),
    "ARE": ("United Arab Emirates", "UAE", "UAE|U.A.E.|Emirates"),
    "GBR": (
        "United Kingdom",
        "UKG",
        "UK|U.K.|Britain|Great Britain|United Kingdom of Great Britain and Northern Ireland",
    ),
    "USA": ("United States", "USA", "US|U.S.|USA|U.S.A.|America|United States of America"),
    "URY": ("Uruguay", "URU", "Oriental Republic of Uruguay"),
    "UZB": ("Uzbekistan", "UZB", "Republic of Uzbekistan"),
    "VUT": ("Vanuatu", "VAN", "Republic of Vanuatu|New Hebrides"),
    "VEN": ("Venezuela", "VEN", "Bolivarian Republic of Venezuela|Venezuela (Bolivarian Republic of)"),
    "VNM": ("Vietnam", "DRV", "Viet Nam|Socialist Republic of Vietnam|SRV"),
    "YEM": ("Yemen", "YEM", "Republic of Yemen"),
    "ZMB": ("Zambia", "ZAM", "Republic of Zambia|Northern Rhodesia"),
    "ZWE": ("Zimbabwe", "ZIM", "Republic of Zimbabwe|Rhodesia|Southern Rhodesia"),
}

# Where the GW code differs from the COW code (README of the shared data; checked against the lists).
GW_OVERRIDE = {"DEU": 260, "SRB": 340, "YEM": 678}

# States that are not UN members: id -> (name, COW abbreviation or "", aliases).
OTHERS: dict[str, tuple[str, str, str]] = {
    "TWN": ("Taiwan", "TAW", "Republic of China|ROC|Chinese Taipei|Taiwan, Province of China"),
    "XKX": ("Kosovo", "KOS", "Republic of Kosovo"),
    "PSE": ("Palestine", "", "State of Palestine|Palestine, State of|Palestinian territories"),
    "SUN": ("Soviet Union", "RUS", "USSR|U.S.S.R.|Union of Soviet Socialist Republics"),
    "YUG": (
        "Yugoslavia",
        "YUG",
        "Socialist Federal Republic of Yugoslavia|SFRY|SFR Yugoslavia|"
        "Federal People's Republic of Yugoslavia|Kingdom of Yugoslavia|"
        "Kingdom of Serbs, Croats and Slovenes",
    ),
    "DDR": ("East Germany", "GDR", "German Democratic Republic|GDR"),
    "CSK": (
        "Czechoslovakia",
        "CZE",
        "Czechoslovak Republic|Czechoslovak Socialist Republic|Czech and Slovak Federative Republic|"
        "CSSR|ČSSR",
    ),
    "RVN": ("South Vietnam", "RVN", "Republic of Vietnam|Vietnam, Republic of|State of Vietnam"),
    "VDR": ("North Vietnam", "DRV", "Democratic Republic of Vietnam|Vietnam, Democratic Republic of|DRV"),
    "YMD": (
        "South Yemen",
        "YPR",
        "People's Democratic Republic of Yemen|Yemen, People's Democratic Republic of|PDRY|"
        "Democratic Yemen|Yemen People's Republic",
    ),
    "SCG": (
        "Serbia and Montenegro",
        "YUG",
        "Federal Republic of Yugoslavia|FRY|FR Yugoslavia|State Union of Serbia and Montenegro|"
        "Serbia-Montenegro",
    ),
}
GW_FOR_OTHERS = {
    "TWN": 713,
    "XKX": 347,
    "SUN": 365,
    "YUG": 345,
    "DDR": 265,
    "CSK": 315,
    "RVN": 817,
    "VDR": 816,
    "YMD": 680,
    "SCG": 345,
}
HISTORICAL = {"SUN", "YUG", "DDR", "CSK", "RVN", "VDR", "YMD", "SCG"}
# pycountry's YUG record carries the FRY's numeric code 891 and notes that the SFRY had 890 until 1992;
# this table's YUG row is the SFRY (the FRY is SCG).
NUMERIC_OVERRIDE = {"YUG": 890}

# Dates (start, end) and the extra sources they rest on; notes explain each choice.
DATES: dict[str, tuple[str, str, list[str]]] = {
    "SUN": ("1922-12-30", "1991-12-26", ["states-wp-ussr-treaty", "states-dos-us-russia-2016"]),
    "YUG": ("1918-12-01", "1992-04-27", ["states-wp-serbia-montenegro", "states-un-member-list"]),
    "DDR": ("1949-10-05", "1990-10-02", []),
    "CSK": ("1918-10-28", "1992-12-31", []),
    "RVN": ("1954-06-04", "1975-04-30", []),
    "VDR": ("1954-07-21", "1976-07-02", ["states-routledge-vietnam"]),
    "YMD": ("1967-11-30", "1990-05-21", []),
    "SCG": ("1992-04-27", "2006-06-04", ["states-wp-serbia-montenegro", "states-un-member-list"]),
    "CZE": ("1993-01-01", "", []),
    "SVK": ("1993-01-01", "", []),
    "SRB": ("2006-06-05", "", []),
    "MNE": ("2006-06-03", "", []),
    "YEM": ("1990-05-22", "", []),
    "VNM": ("1976-07-02", "", ["states-routledge-vietnam"]),
}
EXTRA_SOURCES = {"SSD": ["states-bbc-south-sudan"], "RUS": ["states-dos-us-russia-2016"]}

GW_MISSING = (
    "Not in the Gleditsch-Ward list of independent states used here (Gleditsch publishes "
    "small states in a separate list of microstates)."
)
NOTES: dict[str, str] = {
    "DEU": "One state: the Federal Republic of Germany (West Germany), which the GDR joined on "
    "1990-10-03. COW codes it 260 (German Federal Republic) from 1955-05-05 to 1990-10-02 and 255 "
    "(Germany) from 1990-10-03; a COW panel before 1990 must use 260. GW codes it 260 throughout, "
    "from 1949-09-21.",
    "RUS": "COW (365 Russia) and GW (365 Russia (Soviet Union)) code Russia and the Soviet Union as one "
    "continuing state, so SUN shares these codes. The United States recognised the Russian "
    "Federation as the successor to the Soviet Union on 1991-12-25.",
    "SRB": "COW codes Serbia 345, continuing Yugoslavia; GW codes it 340 from 2006-06-05, after "
    "Serbia and Montenegro (GW 345) ended on 2006-06-04. start is the GW date.",
    "MNE": "start is the GW date (GW 341 from 2006-06-03); COW dates Montenegro (341) from 2006-06-12.",
    "YEM": "Unified Yemen. COW codes it 679 from 1990-05-22 (start, COW date); GW continues the Yemen "
    "Arab Republic (North Yemen) as 678. South Yemen is YMD.",
    "CZE": "start is the date COW (316) and GW (316) give for the Czech Republic after Czechoslovakia "
    "(CSK) ended on 1992-12-31.",
    "SVK": "start is the date COW (317) and GW (317) give for Slovakia after Czechoslovakia (CSK) "
    "ended on 1992-12-31.",
    "VNM": "COW and GW code Vietnam 816, continuing the Democratic Republic of Vietnam (North "
    "Vietnam, VDR), so VDR shares these codes. start: the Socialist Republic of Vietnam was "
    "established by the formal unification of the country on 1976-07-02.",
    "TWN": "Not a UN member. ISO 3166-1 lists it as 'Taiwan, Province of China'; COW (713) and GW (713) "
    "date it from 1949-12-08. Region Asia, as in the regional-code table cited.",
    "XKX": "Not a UN member. XKX is not an ISO 3166-1 code (pycountry has no entry for Kosovo); it is "
    "used here for want of one. COW dates Kosovo (347) from 2008-02-20, GW (347) from 2008-02-17. "
    "Not in the M49 table; region Europe, as for Serbia.",
    "PSE": "Not a UN member. Not in the COW or GW lists.",
    "SUN": "COW and GW code the Soviet Union and Russia as one continuing state (365), so RUS shares "
    "these codes and neither list dates the Soviet Union itself. start: the Treaty on the Creation "
    "of the USSR was approved on 1922-12-30. end: the Union was dissolved by its Supreme Soviet on "
    "1991-12-26, the day COW dates the entry of Ukraine, Belarus and the other non-Baltic successor "
    "republics; the United States recognised the Russian Federation as successor on 1991-12-25. Region: that "
    "of its successor states.",
    "YUG": "The Kingdom and then the Socialist Federal Republic of Yugoslavia, up to its dissolution "
    "in 1992; the Federal Republic of Yugoslavia (1992-2006) is SCG. start is the GW date (GW 345 "
    "from 1918-12-01); COW's 345 runs on from Serbia (1878-07-13) through 2016. end: the FRY's "
    "constitution was adopted on 1992-04-27, and the UN treats the SFRY as dissolved on the "
    "admission of its successors. ISO's YUG code stood for the SFRY (numeric 890) and then the FRY "
    "(891) until 2003. Region: that of its successor states.",
    "DDR": "start is the GW date (GW 265 from 1949-10-05); COW dates the GDR (265) from 1954-03-25. "
    "end (1990-10-02) is the last day in both lists: the GDR joined the Federal Republic (DEU) on "
    "1990-10-03.",
    "CSK": "start is the COW date (COW 315 from 1918-10-28; COW has a gap from 1939-03-15 to "
    "1945-05-10); GW dates it from 1918-11-11. end (1992-12-31) is the last day in both lists; "
    "succeeded by CZE and SVK.",
    "RVN": "No ISO code; the id is the COW abbreviation. start is the COW date (COW 817 from "
    "1954-06-04); GW (817) dates it from 1954-05-01. end (1975-04-30) is the same in both lists.",
    "VDR": "COW and GW code North Vietnam 816 and continue that code for Vietnam (VNM), so VNM shares "
    "it. start is the COW date (1954-07-21); GW dates it from 1954-05-01, and the DRV had been "
    "proclaimed on 1945-09-02. end: the formal unification as the Socialist Republic of Vietnam on "
    "1976-07-02.",
    "YMD": "start and end are the dates of both lists (COW 680 and GW 680). It united with the Yemen "
    "Arab Republic to form Yemen (YEM) on 1990-05-22.",
    "SCG": "The Federal Republic of Yugoslavia (1992-2003), renamed Serbia and Montenegro in 2003. "
    "start: its constitution was adopted on 1992-04-27. end is the GW date (GW 345 ends on "
    "2006-06-04; Montenegro from 2006-06-03, Serbia as 340 from 2006-06-05); COW continues 345 as "
    "Serbia through 2016. The FRY used ISO's YUG codes until ISO withdrew them on 2003-07-23; SCG "
    "(alpha-2 CS, numeric 891) replaced them. Region: that of its successor states.",
    "SSD": "Admitted to the UN as its 193rd member.",
}


def _read_cow(data: Path) -> dict[str, list[dict[str, str]]]:
    spells: dict[str, list[dict[str, str]]] = {}
    with (data / "cow" / "states2016.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            spells.setdefault(row["stateabb"], []).append(row)
    return spells


def _read_gw(data: Path) -> dict[int, list[dict[str, str]]]:
    spells: dict[int, list[dict[str, str]]] = {}
    with (data / "gw" / "gw_states.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            spells.setdefault(int(row["gwcode"]), []).append(row)
    return spells


def _iso(state_id: str) -> tuple[str, str]:
    country = pycountry.countries.get(alpha_3=state_id) or pycountry.historic_countries.get(alpha_3=state_id)
    if country is None:
        return "", ""
    numeric = NUMERIC_OVERRIDE.get(state_id) or getattr(country, "numeric", None)
    return country.alpha_2, str(int(numeric)) if numeric else ""


def _pycountry_names(state_id: str) -> list[str]:
    country = pycountry.countries.get(alpha_3=state_id)
    if country is None:
        return []
    names = [getattr(country, key, None) for key in ("name", "common_name", "official_name")]
    return [n for n in names if n and n[0].isupper()]


def build(data: Path) -> list[dict[str, str]]:
    cow = _read_cow(data)
    gw = _read_gw(data)
    errors: list[str] = []
    rows: list[dict[str, str]] = []
    entries = [(k, v, True) for k, v in UN_MEMBERS.items()] + [(k, v, False) for k, v in OTHERS.items()]
    for state_id, (name, cow_abb, aliases), un_member in entries:
        iso2, numeric = _iso(state_id)
        historical = state_id in HISTORICAL
        cow_code = gw_code = ""
        if cow_abb:
            spells = cow.get(cow_abb)
            if not spells:
                errors.append(f"{state_id}: no COW state {cow_abb}")
            else:
                if not historical and spells[-1]["endyear"] != "2016":
                    errors.append(f"{state_id}: COW {cow_abb} is not current")
                cow_code = spells[0]["ccode"]
        gw_num = GW_OVERRIDE.get(state_id) or GW_FOR_OTHERS.get(state_id)
        if gw_num is None:
            gw_num = int(cow_code) if cow_code else 0
        if gw_num in gw:
            if not historical and gw[gw_num][-1]["enddate"] != "2017-12-31":
                errors.append(f"{state_id}: GW {gw_num} is not current")
            gw_code = str(gw_num)
        sources = []
        if iso2:
            sources.append("states-iso-pycountry")
        if cow_code:
            sources.append("states-cow-2016")
        if gw_code:
            sources.append("states-gw-list")
        if un_member:
            sources.append("states-un-members")
        sources.append("states-m49-regions")
        start, end, date_sources = DATES.get(state_id, ("", "", []))
        sources += [s for s in date_sources + EXTRA_SOURCES.get(state_id, []) if s not in sources]
        note = NOTES.get(state_id, "")
        if cow_code and not gw_code and state_id not in ("PSE",):
            note = (note + " " + GW_MISSING).strip()
        alias_list = [a.strip() for a in aliases.split("|") if a.strip()]
        for extra in _pycountry_names(state_id):
            if extra.lower() not in {a.lower() for a in [name, *alias_list]}:
                alias_list.append(extra)
        alias_list = [a for a in alias_list if a.lower() != name.lower()]
        rows.append(
            {
                "id": state_id,
                "name": name,
                "iso2": iso2,
                "iso_numeric": numeric,
                "cow": cow_code,
                "gw": gw_code,
                "region": REGIONS[state_id],
                "un_member": "yes" if un_member else "no",
                "start": start,
                "end": end,
                "aliases": "|".join(alias_list),
                "note": note,
                "sources": "|".join(sources),
            }
        )
    errors += check(rows)
    if errors:
        sys.exit("\n".join(errors))
    return sorted(rows, key=lambda r: r["id"])


def check(rows: list[dict[str, str]]) -> list[str]:
    """Exactly 193 UN members; ids, names and aliases unique across rows (case-insensitive)."""
    errors = []
    members = sum(r["un_member"] == "yes" for r in rows)
    if members != 193:
        errors.append(f"{members} UN members, not 193")
    owner: dict[str, str] = {}
    for row in rows:
        keys = {row["id"].lower(), row["name"].lower()} | {a.lower() for a in row["aliases"].split("|") if a}
        for key in keys:
            if key in owner and owner[key] != row["id"]:
                errors.append(f"{key!r} names both {owner[key]} and {row['id']}")
            owner.setdefault(key, row["id"])
    counts = Counter(r["id"] for r in rows)
    errors += [f"id {i} used {n} times" for i, n in counts.items() if n > 1]
    return errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the shared data folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    rows = build(args.data)
    with args.out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} states to {args.out}")


if __name__ == "__main__":
    main()
