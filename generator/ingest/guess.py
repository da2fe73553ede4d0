"""What a column of an unknown export looks like, from its header and a sample of values:
an ID, a person, a date, an amount, a flag, a stage... (`mapping suggest` reads these).

Header words are compared as tokens (`Opened On`, `opened_on` and `OpenedOn` are the same
two words) against English, German, French, Spanish and Portuguese synonyms; values are
tested against the spellings ingest itself reads (`queries/_ingest_macros.sql`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

# canonical column -> header phrases that name it (lower-case words)
SYNONYMS: dict[str, tuple[str, ...]] = {
    "deal_id": ("opportunity id", "opportunity ref", "deal id", "deal ref", "opp id", "record id",
                "deal number", "opportunity number", "vorgang id", "id", "ref", "reference"),
    "activity_id": ("activity id", "activity ref", "record id", "id", "ref", "reference"),
    "account_id": ("account id", "account", "company id", "company", "organization",
                   "organisation", "customer", "client", "kunde", "firma", "société",
                   "empresa", "cliente"),
    "account_name": ("account name", "company name", "account", "company", "organization",
                     "name", "firmenname"),
    "owner": ("owner", "deal owner", "sales agent", "account manager", "account executive",
              "sales rep", "rep", "seller", "salesperson", "assigned to", "assigned",
              "user", "verantwortlich", "besitzer", "inhaber", "vertriebler", "propriétaire",
              "responsable", "commercial", "vendedor", "vendeur", "responsável"),
    "creator": ("created by", "creator", "entered by", "logged by", "author", "erstellt von",
                "créé par", "creado por", "criado por"),
    "created_at": ("created date", "create date", "created at", "created on", "created",
                   "opened on", "opened", "engage date", "start date", "date created",
                   "add time", "erstellt am", "erstellt", "date de création", "créé le",
                   "fecha de creación", "creado", "data de criação"),
    "close_date": ("close date", "closed date", "closed on", "decided on", "decided",
                   "won time", "close", "abschlussdatum", "abschluss", "date de clôture",
                   "clôture", "fecha de cierre", "cierre", "data de fechamento"),
    "amount": ("amount", "close value", "deal value", "value", "revenue", "worth", "price",
               "betrag", "wert", "umsatz", "montant", "valeur", "importe", "valor", "monto"),
    "stage": ("deal stage", "stage", "phase", "pipeline stage", "status", "etapa", "stufe",
              "étape", "fase", "estado"),
    "outcome": ("outcome", "result", "won lost", "status", "ergebnis", "résultat",
                "resultado"),
    "name": ("deal name", "opportunity name", "title", "name", "subject", "titel", "titre",
             "nombre", "nome"),
    "currency": ("currency", "currency code", "währung", "devise", "moneda", "moeda"),
    "next_step": ("next step", "next action", "next activity", "nächster schritt",
                  "prochaine étape", "siguiente paso"),
    "type": ("activity type", "type", "kind", "category", "art", "typ", "tipo"),
    "occurred_at": ("happened at", "happened", "occurred at", "occurred", "activity date",
                    "date", "when", "due date", "start time", "datum", "fecha", "data"),
    "entered_at": ("logged at", "entered at", "created at", "created date", "create date",
                   "created", "add time", "logged", "erfasst am", "saisi le"),
    "is_done": ("task state", "task status", "state", "status", "done", "completed",
                "erledigt", "fait", "hecho"),
    "industry": ("industry", "sector", "branche", "secteur", "sector industrial"),
    "email": ("email", "e mail", "mail", "courriel", "correo"),
    "team": ("team", "regional office", "office", "region", "department", "division",
             "sales team", "abteilung", "équipe", "equipo"),
    "manager": ("manager", "reports to", "supervisor", "vorgesetzter", "responsable"),
    "person": ("sales agent", "name", "full name", "user", "rep", "employee", "mitarbeiter"),
}
WON = ("won", "win", "closed won", "gewonnen", "gagné", "gagnée", "ganado", "ganada", "ganho",
       "vinto", "signed", "booked")
LOST = ("lost", "closed lost", "verloren", "perdu", "perdue", "perdido", "perdida", "perso",
        "dead", "cancelled", "canceled")
DONE = ("done", "completed", "complete", "closed", "finished", "erledigt", "abgeschlossen",
        "fait", "terminé", "hecho", "completado", "concluído")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$"
                   r"|^\d{1,2}[./]\d{1,2}[./]\d{4}( \d{1,2}:\d{2}(:\d{2})?( ?[AP]M)?)?$", re.I)
_AMOUNT = re.compile(r"^[(-]?[$€£¥₹]?\s?-?[0-9][0-9.,' ]*\)?\s?([A-Z]{3}|[$€£¥₹])?$")
_BOOL = {"true", "false", "yes", "no", "1", "0", "y", "n", "t", "f", "ja", "nein", "oui",
         "non", "sí", "si"}


def words(header: str) -> tuple[str, ...]:
    """'OpenedOn', 'opened_on', 'Opened On' -> ('opened', 'on')."""
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(header))
    return tuple(w for w in re.split(r"[^0-9a-zà-ÿ]+", spaced.lower()) if w)


def header_score(header: str, role: str) -> int:
    """How well a header names a role: 3 the exact phrase, 2 all its words, 1 its head word
    (the last) as the header's last word."""
    found = words(header)
    best = 0
    for phrase in SYNONYMS[role]:
        wanted = tuple(phrase.split())
        if found == wanted:
            return 3
        if all(w in found for w in wanted):
            best = max(best, 2 if len(wanted) > 1 or len(found) <= 2 else 1)
        elif len(wanted) > 1 and len(wanted[-1]) > 3 and wanted[-1] in found[-1:]:
            best = max(best, 1)  # the phrase's head word ends the header: "Deal owner" ~ "owner"
    return best


@dataclass
class Column:
    """One column of a sampled file: its header and what its values look like."""

    header: str
    values: list[str] = field(default_factory=list)  # non-empty sampled values

    @property
    def filled(self) -> float:
        return len(self.values)

    def share(self, test) -> float:
        return sum(1 for v in self.values if test(v)) / len(self.values) if self.values else 0

    @property
    def is_date(self) -> bool:
        return self.share(lambda v: bool(_DATE.match(v))) >= 0.8

    @property
    def has_time(self) -> bool:
        return self.is_date and self.share(lambda v: ":" in v) >= 0.5

    @property
    def is_amount(self) -> bool:
        return not self.is_date and self.share(lambda v: bool(_AMOUNT.match(v))) >= 0.9

    @property
    def is_bool(self) -> bool:
        return bool(self.values) and all(v.lower() in _BOOL for v in self.values)

    @property
    def distinct(self) -> Counter:
        return Counter(v.strip() for v in self.values)

    @property
    def is_unique(self) -> bool:
        return bool(self.values) and len(self.distinct) == len(self.values)

    @property
    def is_label(self) -> bool:
        """A few distinct repeated texts: a stage, status, type or outcome."""
        return (bool(self.values) and not self.is_date and not self.is_amount
                and len(self.distinct) <= max(12, len(self.values) // 10))

    def labelled(self, names: tuple[str, ...]) -> list[str]:
        """The distinct values that read as one of `names` (won, lost, done...)."""
        return sorted(v for v in self.distinct if v.strip().lower() in names
                      or any(v.strip().lower().startswith(n + " ") or
                             v.strip().lower().endswith(" " + n) for n in names))

    def overlap(self, other: Column) -> float:
        """Share of this column's distinct values that also occur in `other`."""
        mine, theirs = set(self.distinct), set(other.distinct)
        return len(mine & theirs) / len(mine) if mine else 0.0
