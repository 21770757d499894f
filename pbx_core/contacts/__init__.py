"""Address books (P3, S2): company contacts per user group, personal contacts per user, each
user's favourite / VIP / blocked contacts, CSV and vCard import and export (docs/contacts.md)."""

from __future__ import annotations

from pbx_core.contacts.blocking import BlockList, is_blocked
from pbx_core.contacts.book import ContactBook
from pbx_core.contacts.csvfile import COLUMNS, TEMPLATE, parse_csv, write_csv
from pbx_core.contacts.events import ContactChanged
from pbx_core.contacts.model import (
    BOOKS,
    LABELS,
    TYPES,
    VIEWS,
    Book,
    Contact,
    ContactDraft,
    ContactId,
    ContactType,
    Number,
    NumberLabel,
    View,
    normalise,
)
from pbx_core.contacts.paging import Page, PageCursor
from pbx_core.contacts.report import ImportRejectedError, RejectedRow
from pbx_core.contacts.service import ContactService, FileFormat, detect_format
from pbx_core.contacts.vcardfile import VCardVersion, parse_vcards, write_vcards

__all__ = [
    "BOOKS",
    "COLUMNS",
    "LABELS",
    "TEMPLATE",
    "TYPES",
    "VIEWS",
    "BlockList",
    "Book",
    "Contact",
    "ContactBook",
    "ContactChanged",
    "ContactDraft",
    "ContactId",
    "ContactService",
    "ContactType",
    "FileFormat",
    "ImportRejectedError",
    "Number",
    "NumberLabel",
    "Page",
    "PageCursor",
    "RejectedRow",
    "VCardVersion",
    "View",
    "detect_format",
    "is_blocked",
    "normalise",
    "parse_csv",
    "parse_vcards",
    "write_csv",
    "write_vcards",
]
