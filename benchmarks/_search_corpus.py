"""A realistic company directory for the search benchmark: Dutch and Danish people and firms.

Deterministic (seeded): names with diacritics (Sørensen, Østergaard, Ærø), companies with legal
forms (B.V., ApS, A/S), Dutch landlines and mobiles and Danish numbers in E.164, about 1.3
numbers per entry (the issue's 10,000 contacts had 12,902 numbers). Written straight into the
embedded PBX's SQLite file, next to the demo organisation, in one transaction.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

__all__ = ["FIRST", "LAST", "contacts", "seed"]

FIRST = """
Jan Pieter Kees Henk Sanne Anouk Femke Lotte Daan Bram Sem Lucas Noah Julia Emma Tess Fleur
Maarten Joost Ruud Ingrid Marloes Wouter Sjoerd Hendrik Geert Søren Mette Lars Niels Jørgen
Bjørn Åse Anders Frederik Mads Rasmus Kirsten Birgitte Signe Freja Ida Astrid Jens Henrik
Mikkel Søs Thøger Bodil Chloë Zoë Renée Inès
""".strip().split()
LAST = [
    w.replace("_", " ")
    for w in """
de_Vries Jansen van_den_Berg Bakker Visser Smit Meijer de_Boer Mulder de_Groot Bos Vos
Peters Hendriks van_Leeuwen Dekker Brouwer de_Wit Dijkstra Smits de_Graaf van_der_Meer
Kok Jacobs van_Dijk Sørensen Nielsen Jensen Hansen Pedersen Andersen Christensen Larsen
Rasmussen Jørgensen Petersen Madsen Kristensen Olsen Thomsen Møller Østergaard Kjær
Lauridsen Bækgaard Frølich Ærø Dahl Skov Holm
""".strip().split()
]
_FIRM = """
Nordlys Grøn_Energi Havnens_Fisk Københavns_Kontorforsyning Jysk_Logistik Bakkerij_Ons_Brood
Van_Dijk_Logistiek Zuidas_Advocaten Polder_Techniek Amstel_Zorg Rijnmond_Installatie
Fjord_Consult Øresund_Shipping Dansk_Træ Noord_Bouw Delta_Data Molen_Media Tulp_Retail
""".strip().split()
_FORM_NL = ("B.V.", "N.V.", "V.O.F.")
_FORM_DK = ("ApS", "A/S", "I/S")
_NL_AREAS = ("10", "20", "30", "40", "50", "70", "71", "73", "76", "79")


def _numbers(rnd: random.Random, danish: bool) -> list[tuple[str, str]]:
    if danish:
        out = [("work", f"+45{rnd.choice('3456789')}{rnd.randrange(10**6, 10**7)}")]
        if rnd.random() < 0.3:
            out.append(("mobile", f"+452{rnd.randrange(10**6, 10**7)}"))
        return out
    area = rnd.choice(_NL_AREAS)
    rest = 9 - len(area)
    out = [("work", f"+31{area}{rnd.randrange(10 ** (rest - 1), 10**rest)}")]
    if rnd.random() < 0.3:
        out.append(("mobile", f"+316{rnd.randrange(10**7, 10**8)}"))
    return out


def contacts(
    count: int, seed: int = 16
) -> Iterator[tuple[str, str | None, str, list[tuple[str, str]]]]:
    """``count`` (name, company, e-mail, [(label, E.164)]) rows."""
    rnd = random.Random(seed)
    firms = []
    for firm in _FIRM:
        danish = any(c in firm for c in "øæåØÆÅ") or rnd.random() < 0.4
        firms.append(f"{firm.replace('_', ' ')} {rnd.choice(_FORM_DK if danish else _FORM_NL)}")
    for i in range(count):
        danish = rnd.random() < 0.45
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        company = rnd.choice(firms) if rnd.random() < 0.8 else None
        email = f"{first}.{last}.{i}@example.com".lower().replace(" ", "")
        yield f"{first} {last}", company, email, _numbers(rnd, danish)


def seed(database: Path, count: int, batch: int = 16) -> int:
    """Add ``count`` contacts to the PBX's SQLite file; returns how many numbers were written."""
    numbers = 0
    con = sqlite3.connect(database)
    try:
        with con:
            (start,) = con.execute("SELECT COALESCE(MAX(id), 0) FROM contacts").fetchone()
            rows, nums = [], []
            for offset, (name, company, email, nos) in enumerate(contacts(count, batch), start=1):
                cid = start + offset
                rows.append((cid, name, company, email))
                nums.extend((cid, pos, label, n) for pos, (label, n) in enumerate(nos))
            con.executemany(
                "INSERT INTO contacts (id, name, company, email) VALUES (?,?,?,?)", rows
            )
            con.executemany(
                "INSERT INTO contact_numbers (contact_id, position, label, number)"
                " VALUES (?,?,?,?)",
                nums,
            )
            numbers = len(nums)
    finally:
        con.close()
    return numbers
