"""Voicemail (P13): leaving messages for users who do not answer, listening by phone
(``9100``), the mailboxes in the store, message waiting (MWI) and e-mail notification.

``session`` is the pure state machine of one voicemail call; ``service`` its asyncio driver and
the mailboxes; ``repository`` the store's table; ``mwi`` the counts as a bus event and an RFC 3842
body; ``notify`` the e-mail; ``attach`` wires it all into a running PBX. docs/voicemail.md.
"""
