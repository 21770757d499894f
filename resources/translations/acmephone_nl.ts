<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nl_NL" sourcelanguage="en">
<context>
    <name>About</name>
    <message>
        <source>not installed</source>
        <translation>niet geïnstalleerd</translation>
    </message>
    <message>
        <source>A business softphone with a built-in phone system.</source>
        <translation>Een zakelijke softphone met een ingebouwde telefooncentrale.</translation>
    </message>
    <message>
        <source>Emergency calls (112) are not supported: use a mobile or a fixed phone.</source>
        <translation>Noodoproepen (112) zijn niet mogelijk: gebruik een mobiel of vast toestel.</translation>
    </message>
    <message>
        <source>About Acme Phone</source>
        <translation>Over Acme Phone</translation>
    </message>
    <message>
        <source>Windows setup (.exe), for one user</source>
        <translation>Windows-installatie (.exe), voor één gebruiker</translation>
    </message>
    <message>
        <source>Windows Installer (.msi), for IT</source>
        <translation>Windows Installer (.msi), voor IT-beheer</translation>
    </message>
    <message>
        <source>macOS (.dmg)</source>
        <translation>macOS (.dmg)</translation>
    </message>
    <message>
        <source>Linux (.tar.gz)</source>
        <translation>Linux (.tar.gz)</translation>
    </message>
    <message>
        <source>Download installers</source>
        <translation>Installatiebestanden downloaden</translation>
    </message>
    <message>
        <source>Installers of Acme Phone {0} for your organisation:</source>
        <translation>Installatiebestanden van Acme Phone {0} voor je organisatie:</translation>
    </message>
    <message>
        <source>The download links are not available: the update service was not reached.</source>
        <translation>De downloadlinks zijn niet beschikbaar: de updateservice is niet bereikt.</translation>
    </message>
    <message>
        <source>Download installers…</source>
        <translation>Installatiebestanden downloaden…</translation>
    </message>
</context>
<context>
    <name>AgentRow</name>
    <message>
        <source>in a call</source>
        <translation>in gesprek</translation>
    </message>
    <message>
        <source>available</source>
        <translation>beschikbaar</translation>
    </message>
    <message>
        <source>not available</source>
        <translation>niet beschikbaar</translation>
    </message>
    <message>
        <source>skill {0}</source>
        <translation>vaardigheid {0}</translation>
    </message>
    <message>
        <source>Listen</source>
        <translation>Meeluisteren</translation>
    </message>
    <message>
        <source>Whisper</source>
        <translation>Influisteren</translation>
    </message>
    <message>
        <source>Barge in</source>
        <translation>Inbreken</translation>
    </message>
</context>
<context>
    <name>AudioBanner</name>
    <message>
        <source>Open Settings</source>
        <translation>Instellingen openen</translation>
    </message>
</context>
<context>
    <name>AutostartAction</name>
    <message>
        <source>Start at login (set by your administrator)</source>
        <translation>Automatisch starten bij aanmelden (ingesteld door je beheerder)</translation>
    </message>
    <message>
        <source>Start at login</source>
        <translation>Automatisch starten bij aanmelden</translation>
    </message>
</context>
<context>
    <name>CalendarPage</name>
    <message>
        <source>No plan runs now.</source>
        <translation>Er loopt nu geen planning.</translation>
    </message>
    <message>
        <source>Now: {0} ({1}) until {2}</source>
        <translation>Nu: {0} ({1}) tot {2}</translation>
    </message>
    <message>
        <source>All day</source>
        <translation>Hele dag</translation>
    </message>
    <message>
        <source>Overlapping plans</source>
        <translation>Dubbele planning</translation>
    </message>
    <message>
        <source>“{0}” overlaps with {1}. Only one status can apply at a time; adjust the plan?</source>
        <translation>„{0}” overlapt met {1}. Er kan maar één status tegelijk gelden; de planning aanpassen?</translation>
    </message>
    <message>
        <source>Adjust</source>
        <translation>Aanpassen</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>Behouden</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Vandaag</translation>
    </message>
    <message>
        <source>New plan</source>
        <translation>Nieuwe planning</translation>
    </message>
    <message>
        <source>Month</source>
        <translation>Maand</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>Week</translation>
    </message>
    <message>
        <source>Week with weekend</source>
        <translation>Week met weekend</translation>
    </message>
    <message>
        <source>Calendar</source>
        <translation>Kalender</translation>
    </message>
</context>
<context>
    <name>CallFlowDialog</name>
    <message>
        <source>Call flow per status</source>
        <translation>Gespreksafhandeling per status</translation>
    </message>
    <message>
        <source>What happens to your calls in each status:</source>
        <translation>Wat er met je gesprekken gebeurt in elke status:</translation>
    </message>
</context>
<context>
    <name>CallFlowRow</name>
    <message>
        <source>Ring as usual</source>
        <translation>Gewoon laten overgaan</translation>
    </message>
    <message>
        <source>Voicemail</source>
        <translation>Voicemail</translation>
    </message>
    <message>
        <source>Forward to</source>
        <translation>Doorschakelen naar</translation>
    </message>
    <message>
        <source>number</source>
        <translation>nummer</translation>
    </message>
</context>
<context>
    <name>CallWindow</name>
    <message>
        <source>Incoming call</source>
        <translation>Inkomende oproep</translation>
    </message>
    <message>
        <source>Outgoing call</source>
        <translation>Uitgaande oproep</translation>
    </message>
    <message>
        <source>Ringing…</source>
        <translation>Gaat over…</translation>
    </message>
    <message>
        <source>Calling…</source>
        <translation>Bellen…</translation>
    </message>
    <message>
        <source>In call</source>
        <translation>In gesprek</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>In de wacht</translation>
    </message>
    <message>
        <source>No speaker or microphone found. Calls connect but you will not hear them.</source>
        <translation>Geen luidspreker of microfoon gevonden. Gesprekken worden verbonden, maar je hoort ze niet.</translation>
    </message>
    <message>
        <source>via {queue}</source>
        <translation>via {queue}</translation>
    </message>
    <message>
        <source>Call ended</source>
        <translation>Gesprek beëindigd</translation>
    </message>
    <message>
        <source>Chat with {name}</source>
        <translation>Chatten met {name}</translation>
    </message>
    <message>
        <source>Transferred by {0}</source>
        <translation>Doorverbonden door {0}</translation>
    </message>
    <message>
        <source>Conference</source>
        <translation>Conferentie</translation>
    </message>
    <message>
        <source>On hold by the other party</source>
        <translation>In de wacht gezet door de andere partij</translation>
    </message>
    <message>
        <source>Pick up again</source>
        <translation>Opnieuw opnemen</translation>
    </message>
    <message>
        <source>Bring the call back to this computer</source>
        <translation>Haal het gesprek terug naar deze computer</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Opnemen</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>Weigeren</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <source>Hang up</source>
        <translation>Ophangen</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Sluiten</translation>
    </message>
    <message>
        <source>Unmute</source>
        <translation>Dempen opheffen</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>Dempen</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Hervatten</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>In de wacht zetten</translation>
    </message>
    <message>
        <source>Keypad</source>
        <translation>Nummerkiezer</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Herstellen</translation>
    </message>
    <message>
        <source>Minimise</source>
        <translation>Minimaliseren</translation>
    </message>
    <message>
        <source>Good</source>
        <translation>Goed</translation>
    </message>
    <message>
        <source>Fair</source>
        <translation>Redelijk</translation>
    </message>
    <message>
        <source>Poor</source>
        <translation>Slecht</translation>
    </message>
    <message>
        <source>Call quality: {0}</source>
        <translation>Gesprekskwaliteit: {0}</translation>
    </message>
    <message>
        <source>Packet loss {loss} %, jitter {jitter} ms, MOS {mos}</source>
        <translation>Pakketverlies {loss} %, jitter {jitter} ms, MOS {mos}</translation>
    </message>
    <message>
        <source>Mobile ({0})</source>
        <translation>Mobiel ({0})</translation>
    </message>
    <message>
        <source>Desk phone ({0})</source>
        <translation>Bureautoestel ({0})</translation>
    </message>
    <message>
        <source>Desk phone</source>
        <translation>Bureautoestel</translation>
    </message>
    <message>
        <source>Other softphone ({0})</source>
        <translation>Andere softphone ({0})</translation>
    </message>
    <message>
        <source>Other softphone</source>
        <translation>Andere softphone</translation>
    </message>
    <message>
        <source>Phone app ({0})</source>
        <translation>Telefoonapp ({0})</translation>
    </message>
    <message>
        <source>Phone app</source>
        <translation>Telefoonapp</translation>
    </message>
    <message>
        <source>Other phone</source>
        <translation>Ander toestel</translation>
    </message>
    <message>
        <source>your mobile</source>
        <translation>je mobiel</translation>
    </message>
    <message>
        <source>your desk phone</source>
        <translation>je bureautoestel</translation>
    </message>
    <message>
        <source>your other softphone</source>
        <translation>je andere softphone</translation>
    </message>
    <message>
        <source>your phone app</source>
        <translation>je telefoonapp</translation>
    </message>
    <message>
        <source>your other phone</source>
        <translation>je andere toestel</translation>
    </message>
    <message>
        <source>Moving the call to {0}… Answer it there.</source>
        <translation>Gesprek wordt naar {0} verplaatst… Neem daar op.</translation>
    </message>
    <message>
        <source>The call was moved to {0}.</source>
        <translation>Het gesprek is naar {0} verplaatst.</translation>
    </message>
    <message>
        <source>The call could not be moved: the server cannot be reached.</source>
        <translation>Het gesprek kon niet worden verplaatst: de server is niet bereikbaar.</translation>
    </message>
    <message>
        <source>The call could not be moved to {0} ({1}). It stays here.</source>
        <translation>Het gesprek kon niet naar {0} worden verplaatst ({1}). Het blijft hier.</translation>
    </message>
    <message>
        <source>Parking the call…</source>
        <translation>Gesprek wordt geparkeerd…</translation>
    </message>
    <message>
        <source>Transferring…</source>
        <translation>Doorverbinden…</translation>
    </message>
    <message>
        <source>The call was parked.</source>
        <translation>Het gesprek is geparkeerd.</translation>
    </message>
    <message>
        <source>The call was transferred.</source>
        <translation>Het gesprek is doorverbonden.</translation>
    </message>
    <message>
        <source>Not parked: every parking place is taken.</source>
        <translation>Niet geparkeerd: alle parkeerplaatsen zijn bezet.</translation>
    </message>
    <message>
        <source>Not transferred: that number does not exist.</source>
        <translation>Niet doorverbonden: dat nummer bestaat niet.</translation>
    </message>
    <message>
        <source>The call could not be parked ({0}).</source>
        <translation>Het gesprek kon niet worden geparkeerd ({0}).</translation>
    </message>
    <message>
        <source>The transfer failed ({0}).</source>
        <translation>Doorverbinden is mislukt ({0}).</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Doorverbinden</translation>
    </message>
    <message>
        <source>Hand this call to a colleague or another number</source>
        <translation>Verbind dit gesprek door naar een collega of ander nummer</translation>
    </message>
    <message>
        <source>Invite</source>
        <translation>Uitnodigen</translation>
    </message>
    <message>
        <source>Add a colleague or a number to this call</source>
        <translation>Voeg een collega of nummer toe aan dit gesprek</translation>
    </message>
    <message>
        <source>Park</source>
        <translation>Parkeren</translation>
    </message>
    <message>
        <source>Park the call so that any colleague can pick it up</source>
        <translation>Parkeer het gesprek zodat elke collega het kan opnemen</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>Verplaatsen</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>Samenvoegen</translation>
    </message>
    <message>
        <source>Merge with the call with {0}</source>
        <translation>Samenvoegen met het gesprek met {0}</translation>
    </message>
    <message>
        <source>Audio settings</source>
        <translation>Audio</translation>
    </message>
    <message>
        <source>Choose the headset, speaker or microphone</source>
        <translation>Kies de headset, luidspreker of microfoon</translation>
    </message>
    <message>
        <source>Move this call to another of your phones or your mobile</source>
        <translation>Verplaats dit gesprek naar een ander toestel van je of naar je mobiel</translation>
    </message>
    <message>
        <source>None of your other phones is signed in, and no mobile number is set (Settings → Calls).</source>
        <translation>Geen van je andere toestellen is aangemeld en er is geen mobiel nummer ingesteld (Instellingen → Gesprekken).</translation>
    </message>
    <message>
        <source>Consulting about {0}, who is on hold.</source>
        <translation>Overleg over {0}, die in de wacht staat.</translation>
    </message>
    <message>
        <source>Back with {0}; this call is on hold.</source>
        <translation>Terug bij {0}; dit gesprek staat in de wacht.</translation>
    </message>
    <message>
        <source>Transfer to {0}?</source>
        <translation>Doorverbinden met {0}?</translation>
    </message>
    <message>
        <source>{0} is on hold.</source>
        <translation>{0} staat in de wacht.</translation>
    </message>
    <message>
        <source>Swap</source>
        <translation>Wisselen</translation>
    </message>
    <message>
        <source>Talk to {0} and hold this call</source>
        <translation>Spreek met {0} en zet dit gesprek in de wacht</translation>
    </message>
    <message>
        <source>Connect the two calls and leave</source>
        <translation>Verbind beide gesprekken met elkaar en stap eruit</translation>
    </message>
    <message>
        <source>{0} people in this call</source>
        <translation>{0} deelnemers in dit gesprek</translation>
    </message>
    <message>
        <source> (on hold)</source>
        <translation> (in de wacht)</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Verwijderen</translation>
    </message>
    <message>
        <source>End the call with {0}</source>
        <translation>Beëindig het gesprek met {0}</translation>
    </message>
    <message>
        <source>Fewer options</source>
        <translation>Minder opties</translation>
    </message>
    <message>
        <source>More options</source>
        <translation>Meer opties</translation>
    </message>
    <message>
        <source>Stop recording</source>
        <translation>Opname stoppen</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Opnemen</translation>
    </message>
    <message>
        <source>Stop recording; it is kept in Recordings</source>
        <translation>Opname stoppen; die blijft bewaard in Opnamen</translation>
    </message>
    <message>
        <source>Record this call (both sides); the other party is not told</source>
        <translation>Dit gesprek opnemen (beide kanten); de ander krijgt geen melding</translation>
    </message>
    <message>
        <source>Recording {0}</source>
        <translation>Opname {0}</translation>
    </message>
</context>
<context>
    <name>CallsPage</name>
    <message>
        <source>Incoming call</source>
        <translation>Inkomende oproep</translation>
    </message>
    <message>
        <source>Outgoing call</source>
        <translation>Uitgaande oproep</translation>
    </message>
    <message>
        <source>Missed call</source>
        <translation>Gemiste oproep</translation>
    </message>
    <message>
        <source>Call again</source>
        <translation>Opnieuw bellen</translation>
    </message>
    <message>
        <source>Duration: {duration}</source>
        <translation>Duur: {duration}</translation>
    </message>
    <message>
        <source>Copy number</source>
        <translation>Nummer kopiëren</translation>
    </message>
    <message>
        <source>Remove from this list</source>
        <translation>Uit deze lijst verwijderen</translation>
    </message>
    <message>
        <source>Removes it from your history on every computer; the other person still sees it.</source>
        <translation>Haalt het weg uit je geschiedenis op al je computers; de ander ziet het nog wel.</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>Oproepen</translation>
    </message>
    <message>
        <source>No calls yet</source>
        <translation>Nog geen oproepen</translation>
    </message>
    <message>
        <source>Search for a colleague above, open the dialer, or copy a number anywhere and press F8 to call it.</source>
        <translation>Zoek hierboven een collega, open de nummerkiezer, of kopieer ergens een nummer en druk op F8 om het te bellen.</translation>
    </message>
    <message>
        <source>Test your audio: call 9000</source>
        <translation>Test je geluid: bel 9000</translation>
    </message>
    <message>
        <source>Play voicemail</source>
        <translation>Voicemail afspelen</translation>
    </message>
    <message>
        <source>Call back</source>
        <translation>Terugbellen</translation>
    </message>
</context>
<context>
    <name>CallsSettings</name>
    <message>
        <source>{status}: voicemail</source>
        <translation>{status}: voicemail</translation>
    </message>
    <message>
        <source>{status}: forward to {number}</source>
        <translation>{status}: doorschakelen naar {number}</translation>
    </message>
    <message>
        <source>Calls ring as usual in every status</source>
        <translation>In elke status gaan gesprekken gewoon over</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>Gesprekken</translation>
    </message>
    <message>
        <source>Your mobile number</source>
        <translation>Je mobiele nummer</translation>
    </message>
    <message>
        <source>e.g. 06 12345678</source>
        <translation>bijv. 06 12345678</translation>
    </message>
    <message>
        <source>“Move” in a call window offers this number besides your other phones (desk phone, other softphones).</source>
        <translation>„Verplaatsen” in een gespreksvenster biedt dit nummer naast je andere toestellen (bureautoestel, andere softphones).</translation>
    </message>
    <message>
        <source>Call flow per status</source>
        <translation>Gespreksafhandeling per status</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>Wijzigen…</translation>
    </message>
</context>
<context>
    <name>ChatPage</name>
    <message>
        <source>{0} is typing…</source>
        <translation>{0} typt…</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Bellen</translation>
    </message>
    <message numerus="yes">
        <source>Group, %n member(s)</source>
        <translation>
            <numerusform>Groep, %n deelnemer</numerusform>
            <numerusform>Groep, %n deelnemers</numerusform>
        </translation>
    </message>
    <message>
        <source>Extension {0}</source>
        <translation>Toestel {0}</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Verzonden</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Ontvangen</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Gelezen</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Nieuw</translation>
    </message>
    <message>
        <source>New chat…</source>
        <translation>Nieuw gesprek…</translation>
    </message>
    <message>
        <source>Create a group…</source>
        <translation>Een groep aanmaken…</translation>
    </message>
    <message>
        <source>Choose a chat on the left, or start one with New.</source>
        <translation>Kies links een gesprek, of start er een met Nieuw.</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Groep</translation>
    </message>
    <message>
        <source>Group info…</source>
        <translation>Groepsinfo…</translation>
    </message>
    <message>
        <source>Leave group</source>
        <translation>Groep verlaten</translation>
    </message>
    <message>
        <source>Type a message</source>
        <translation>Typ een bericht</translation>
    </message>
    <message>
        <source>Emoji</source>
        <translation>Emoji</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Versturen</translation>
    </message>
    <message>
        <source>Show earlier messages</source>
        <translation>Eerdere berichten tonen</translation>
    </message>
</context>
<context>
    <name>ColleagueCard</name>
    <message>
        <source>Private</source>
        <translation>Privé</translation>
    </message>
    <message>
        <source>Queue · {number}</source>
        <translation>Wachtrij · {number}</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Bellen</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chatten</translation>
    </message>
    <message>
        <source>★ primary number</source>
        <translation>★ hoofdnummer</translation>
    </message>
</context>
<context>
    <name>ColleagueFinder</name>
    <message>
        <source>Type a name or an extension</source>
        <translation>Typ een naam of een toestelnummer</translation>
    </message>
    <message>
        <source>No colleague matches “{0}”.</source>
        <translation>Geen collega gevonden voor “{0}”.</translation>
    </message>
</context>
<context>
    <name>ConnectionBanner</name>
    <message>
        <source>The phone system is restarting. Reconnecting…</source>
        <translation>De telefooncentrale wordt opnieuw gestart. Opnieuw verbinden…</translation>
    </message>
    <message>
        <source>Offline: the phone system cannot be reached. Reconnecting…</source>
        <translation>Offline: de telefooncentrale is niet bereikbaar. Opnieuw verbinden…</translation>
    </message>
</context>
<context>
    <name>ContactCard</name>
    <message>
        <source>Personal address book</source>
        <translation>Persoonlijk adresboek</translation>
    </message>
    <message>
        <source>Company address book</source>
        <translation>Bedrijfsadresboek</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Bedrijf</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>Afdeling</translation>
    </message>
    <message>
        <source>Function</source>
        <translation>Functie</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adres</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Primary number</source>
        <translation>Primair nummer</translation>
    </message>
    <message>
        <source>Private</source>
        <translation>Privé</translation>
    </message>
    <message>
        <source>Call {0}</source>
        <translation>{0} bellen</translation>
    </message>
    <message>
        <source>Favourite</source>
        <translation>Favoriet</translation>
    </message>
    <message>
        <source>VIP</source>
        <translation>VIP</translation>
    </message>
    <message>
        <source>A VIP always rings through, whatever your status.</source>
        <translation>Een VIP komt altijd door, wat je status ook is.</translation>
    </message>
    <message>
        <source>Blocked</source>
        <translation>Geblokkeerd</translation>
    </message>
    <message>
        <source>Calls from this contact&apos;s numbers are rejected.</source>
        <translation>Oproepen van de nummers van dit contact worden geweigerd.</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Bellen</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chatten</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Bewerken</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Verwijderen</translation>
    </message>
    <message>
        <source>Numbers</source>
        <translation>Nummers</translation>
    </message>
    <message>
        <source>This is a company contact: ask your administrator to change it.</source>
        <translation>Dit is een bedrijfscontact: vraag je beheerder om het aan te passen.</translation>
    </message>
</context>
<context>
    <name>ContactDialog</name>
    <message>
        <source>Work</source>
        <translation>Werk</translation>
    </message>
    <message>
        <source>Mobile</source>
        <translation>Mobiel</translation>
    </message>
    <message>
        <source>Home</source>
        <translation>Thuis</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Overig</translation>
    </message>
    <message>
        <source>No type</source>
        <translation>Geen type</translation>
    </message>
    <message>
        <source>Favourite</source>
        <translation>Favoriet</translation>
    </message>
    <message>
        <source>VIP (always rings through)</source>
        <translation>VIP (komt altijd door)</translation>
    </message>
    <message>
        <source>Blocked (calls are rejected)</source>
        <translation>Geblokkeerd (oproepen worden geweigerd)</translation>
    </message>
    <message>
        <source>Edit contact</source>
        <translation>Contact bewerken</translation>
    </message>
    <message>
        <source>New contact</source>
        <translation>Nieuw contact</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Naam</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Bedrijf</translation>
    </message>
    <message>
        <source>Department</source>
        <translation>Afdeling</translation>
    </message>
    <message>
        <source>Function</source>
        <translation>Functie</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adres</translation>
    </message>
    <message>
        <source>Numbers</source>
        <translation>Nummers</translation>
    </message>
    <message>
        <source>Primary</source>
        <translation>Primair</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>A contact needs a name.</source>
        <translation>Een contact heeft een naam nodig.</translation>
    </message>
</context>
<context>
    <name>ContactsPage</name>
    <message>
        <source>No favourites yet: star a contact on its card.</source>
        <translation>Nog geen favorieten: geef een contact een ster op zijn kaart.</translation>
    </message>
    <message>
        <source>No VIPs yet: a VIP always rings through, whatever your status.</source>
        <translation>Nog geen VIP’s: een VIP komt altijd door, wat je status ook is.</translation>
    </message>
    <message>
        <source>No contacts yet. Add one, or import a file.</source>
        <translation>Nog geen contacten. Voeg er een toe of importeer een bestand.</translation>
    </message>
    <message>
        <source>Personal</source>
        <translation>Persoonlijk</translation>
    </message>
    <message>
        <source>Company</source>
        <translation>Bedrijf</translation>
    </message>
    <message>
        <source>Nothing was imported. Fix these lines and import the file again:</source>
        <translation>Er is niets geïmporteerd. Verbeter deze regels en importeer het bestand opnieuw:</translation>
    </message>
    <message>
        <source>Line {0}: {1}</source>
        <translation>Regel {0}: {1}</translation>
    </message>
    <message>
        <source>Delete contact</source>
        <translation>Contact verwijderen</translation>
    </message>
    <message>
        <source>Delete {0} from your personal address book?</source>
        <translation>{0} uit je persoonlijke adresboek verwijderen?</translation>
    </message>
    <message>
        <source>Import contacts</source>
        <translation>Contacten importeren</translation>
    </message>
    <message>
        <source>Contacts (*.csv *.vcf *.vcard);;All files (*)</source>
        <translation>Contacten (*.csv *.vcf *.vcard);;Alle bestanden (*)</translation>
    </message>
    <message>
        <source>Export contacts</source>
        <translation>Contacten exporteren</translation>
    </message>
    <message>
        <source>Save the CSV template</source>
        <translation>CSV-sjabloon opslaan</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Contacten</translation>
    </message>
    <message>
        <source>New contact</source>
        <translation>Nieuw contact</translation>
    </message>
    <message>
        <source>Import/export</source>
        <translation>Im-/exporteren</translation>
    </message>
    <message>
        <source>Import from a CSV or vCard file…</source>
        <translation>Importeren uit een CSV- of vCard-bestand…</translation>
    </message>
    <message>
        <source>Export to CSV…</source>
        <translation>Exporteren naar CSV…</translation>
    </message>
    <message>
        <source>Export to vCard…</source>
        <translation>Exporteren naar vCard…</translation>
    </message>
    <message>
        <source>Save the CSV template…</source>
        <translation>CSV-sjabloon opslaan…</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Favorites</source>
        <translation>Favorieten</translation>
    </message>
    <message>
        <source>VIP</source>
        <translation>VIP</translation>
    </message>
    <message>
        <source>Choose a contact to see its card.</source>
        <translation>Kies een contact om zijn kaart te zien.</translation>
    </message>
</context>
<context>
    <name>CustomEndDialog</name>
    <message>
        <source>Custom end time</source>
        <translation>Eindtijd op maat</translation>
    </message>
    <message>
        <source>{status} until:</source>
        <translation>{status} tot:</translation>
    </message>
    <message>
        <source>Choose a time in the future.</source>
        <translation>Kies een tijd in de toekomst.</translation>
    </message>
</context>
<context>
    <name>DialerPanel</name>
    <message>
        <source>Only digits, +, * and # can be dialled. Check the number.</source>
        <translation>Je kunt alleen cijfers, +, * en # kiezen. Controleer het nummer.</translation>
    </message>
    <message>
        <source>Enter a number</source>
        <translation>Voer een nummer in</translation>
    </message>
    <message>
        <source>Keys are sent as tones to the call.</source>
        <translation>Toetsen worden als tonen naar het gesprek gestuurd.</translation>
    </message>
    <message>
        <source>Dial a number</source>
        <translation>Kies een nummer</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Bellen</translation>
    </message>
    <message>
        <source>Remove the last digit</source>
        <translation>Laatste cijfer wissen</translation>
    </message>
</context>
<context>
    <name>ForwardingDialog</name>
    <message>
        <source>Forward calls</source>
        <translation>Gesprekken doorschakelen</translation>
    </message>
    <message>
        <source>Forward all my calls to (an extension or a phone number):</source>
        <translation>Al mijn gesprekken doorschakelen naar (een toestel of een telefoonnummer):</translation>
    </message>
    <message>
        <source>e.g. 204 or +31 20 123 4567</source>
        <translation>bijv. 204 of +31 20 123 4567</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>Doorschakelen</translation>
    </message>
</context>
<context>
    <name>ForwardingIndicator</name>
    <message>
        <source>Forward calls…</source>
        <translation>Gesprekken doorschakelen…</translation>
    </message>
    <message>
        <source>Call flow per status…</source>
        <translation>Gespreksafhandeling per status…</translation>
    </message>
    <message>
        <source>Forwarded to {number}</source>
        <translation>Doorgeschakeld naar {number}</translation>
    </message>
    <message>
        <source>Your calls go to {number}. Click to stop forwarding.</source>
        <translation>Je gesprekken gaan naar {number}. Klik om het doorschakelen te stoppen.</translation>
    </message>
</context>
<context>
    <name>GreetingDialog</name>
    <message>
        <source>Record your greeting</source>
        <translation>Je begroeting opnemen</translation>
    </message>
    <message>
        <source>Press Record and speak the greeting callers hear when you do not answer; press Stop when you are done (at most a minute).</source>
        <translation>Druk op Opnemen en spreek de begroeting in die bellers horen als je niet opneemt; druk op Stop als je klaar bent (hooguit een minuut).</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Opnemen</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Opslaan</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Stop</translation>
    </message>
    <message>
        <source>Record again</source>
        <translation>Opnieuw opnemen</translation>
    </message>
</context>
<context>
    <name>GroupDialog</name>
    <message>
        <source>You</source>
        <translation>Jij</translation>
    </message>
    <message>
        <source>New group</source>
        <translation>Nieuwe groep</translation>
    </message>
    <message>
        <source>Group info</source>
        <translation>Groepsinfo</translation>
    </message>
    <message>
        <source>Choose picture…</source>
        <translation>Afbeelding kiezen…</translation>
    </message>
    <message>
        <source>Remove picture</source>
        <translation>Afbeelding verwijderen</translation>
    </message>
    <message>
        <source>For example: Sales team</source>
        <translation>Bijvoorbeeld: Verkoopteam</translation>
    </message>
    <message>
        <source>Group name:</source>
        <translation>Groepsnaam:</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Deelnemers</translation>
    </message>
    <message>
        <source>Remove from the group</source>
        <translation>Uit de groep verwijderen</translation>
    </message>
    <message>
        <source>Add people</source>
        <translation>Deelnemers toevoegen</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Toevoegen</translation>
    </message>
    <message>
        <source>Create group</source>
        <translation>Groep maken</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Opslaan</translation>
    </message>
    <message>
        <source>Leave group</source>
        <translation>Groep verlaten</translation>
    </message>
    <message>
        <source>Choose picture</source>
        <translation>Afbeelding kiezen</translation>
    </message>
    <message>
        <source>Pictures (*.png *.jpg *.jpeg *.bmp *.gif)</source>
        <translation>Afbeeldingen (*.png *.jpg *.jpeg *.bmp *.gif)</translation>
    </message>
    <message>
        <source>{0} (you)</source>
        <translation>{0} (jij)</translation>
    </message>
</context>
<context>
    <name>HeadsetAction</name>
    <message>
        <source>Headset call control</source>
        <translation>Headset gespreksbeheer</translation>
    </message>
</context>
<context>
    <name>HeadsetSettings</name>
    <message>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>Chosen headset (not connected)</source>
        <translation>Gekozen headset (niet aangesloten)</translation>
    </message>
    <message>
        <source>Connect a headset to test its buttons.</source>
        <translation>Sluit een headset aan om de knoppen te testen.</translation>
    </message>
    <message>
        <source>pressed</source>
        <translation>ingedrukt</translation>
    </message>
    <message>
        <source>released</source>
        <translation>losgelaten</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}: {1}</translation>
    </message>
    <message>
        <source>Press a button on the headset.</source>
        <translation>Druk op een knop van de headset.</translation>
    </message>
    <message>
        <source>Headset call control</source>
        <translation>Headset gespreksbeheer</translation>
    </message>
    <message>
        <source>Answer, end and mute calls with the headset buttons</source>
        <translation>Gesprekken aannemen, beëindigen en dempen met de knoppen van de headset</translation>
    </message>
    <message>
        <source>Headset</source>
        <translation>Headset</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Testen</translation>
    </message>
    <message>
        <source>Connect the headset with a USB cable or its USB dongle. A headset connected directly over Bluetooth cannot be used for call control.</source>
        <translation>Sluit de headset aan met een USB-kabel of de meegeleverde USB-dongle. Een headset die rechtstreeks via Bluetooth met de computer verbonden is, werkt niet voor gespreksbeheer.</translation>
    </message>
</context>
<context>
    <name>HistoryModel</name>
    <message>
        <source>Today</source>
        <translation>Vandaag</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Gisteren</translation>
    </message>
</context>
<context>
    <name>InCallBadge</name>
    <message>
        <source>On hold</source>
        <translation>In de wacht</translation>
    </message>
    <message>
        <source>In a call</source>
        <translation>In gesprek</translation>
    </message>
    <message>
        <source>Colleagues see that you are in a call; it goes away after.</source>
        <translation>Collega&apos;s zien dat je in gesprek bent; dat verdwijnt na het gesprek.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Acme Phone</source>
        <translation>Acme Phone</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Bestand</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Afsluiten</translation>
    </message>
    <message>
        <source>&amp;Options</source>
        <translation>&amp;Opties</translation>
    </message>
    <message>
        <source>Call the number on the clipboard</source>
        <translation>Nummer op het klembord bellen</translation>
    </message>
    <message>
        <source>Diagnostics logging</source>
        <translation>Diagnostische logbestanden</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>&amp;About Acme Phone</source>
        <translation>&amp;Over Acme Phone</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>Oproepen</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Instellingen</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Contacten</translation>
    </message>
</context>
<context>
    <name>NewChatDialog</name>
    <message>
        <source>New chat</source>
        <translation>Nieuw gesprek</translation>
    </message>
    <message>
        <source>Who do you want to chat with?</source>
        <translation>Met wie wil je chatten?</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chatten</translation>
    </message>
</context>
<context>
    <name>NoteEditor</name>
    <message>
        <source>Note for colleagues</source>
        <translation>Notitie voor collega&apos;s</translation>
    </message>
    <message>
        <source>For example: Back at three</source>
        <translation>Bijvoorbeeld: Om drie uur terug</translation>
    </message>
    <message>
        <source>Colleagues see this under your name when they search.</source>
        <translation>Collega&apos;s zien dit onder je naam als ze zoeken.</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Opslaan</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Wissen</translation>
    </message>
    <message>
        <source>Private role</source>
        <translation>Privérol</translation>
    </message>
    <message>
        <source>Colleagues see that you are in your private role (outside work hours).</source>
        <translation>Collega&apos;s zien dat je in je privérol bent (buiten werktijd).</translation>
    </message>
</context>
<context>
    <name>ParkedPanel</name>
    <message>
        <source>&lt; 1 min</source>
        <translation>&lt; 1 min</translation>
    </message>
    <message>
        <source>{0} min</source>
        <translation>{0} min</translation>
    </message>
    <message>
        <source>Parked calls</source>
        <translation>Geparkeerde gesprekken</translation>
    </message>
    <message>
        <source>parked by {0}</source>
        <translation>geparkeerd door {0}</translation>
    </message>
    <message>
        <source>Pick up</source>
        <translation>Opnemen</translation>
    </message>
    <message>
        <source>Take this call (dial {0})</source>
        <translation>Neem dit gesprek over (kiest {0})</translation>
    </message>
</context>
<context>
    <name>PasswordSettings</name>
    <message>
        <source>The password was not changed.</source>
        <translation>Het wachtwoord is niet gewijzigd.</translation>
    </message>
    <message>
        <source>Your password was changed. Your other sign-ins were signed out.</source>
        <translation>Je wachtwoord is gewijzigd. Je andere aanmeldingen zijn afgemeld.</translation>
    </message>
    <message>
        <source>The demo organisation of the built-in PBX keeps its passwords. Sign in to your company&apos;s server to change yours.</source>
        <translation>De demo-organisatie van de ingebouwde centrale houdt haar wachtwoorden. Meld je aan bij de server van je bedrijf om het jouwe te wijzigen.</translation>
    </message>
    <message>
        <source>8 to 30 characters, with a digit, a lower and an upper case letter and a special character. Your other sign-ins are signed out when it changes.</source>
        <translation>8 tot 30 tekens, met een cijfer, een kleine letter, een hoofdletter en een speciaal teken. Je andere aanmeldingen worden afgemeld als het wijzigt.</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Wachtwoord</translation>
    </message>
    <message>
        <source>Current password</source>
        <translation>Huidig wachtwoord</translation>
    </message>
    <message>
        <source>New password</source>
        <translation>Nieuw wachtwoord</translation>
    </message>
    <message>
        <source>New password again</source>
        <translation>Nieuw wachtwoord herhalen</translation>
    </message>
    <message>
        <source>Change password</source>
        <translation>Wachtwoord wijzigen</translation>
    </message>
</context>
<context>
    <name>PlanDialog</name>
    <message>
        <source>Edit plan</source>
        <translation>Planning bewerken</translation>
    </message>
    <message>
        <source>New plan</source>
        <translation>Nieuwe planning</translation>
    </message>
    <message>
        <source>For example: Team meeting</source>
        <translation>Bijvoorbeeld: teamoverleg</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Naam</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>All day</source>
        <translation>Hele dag</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Begin</translation>
    </message>
    <message>
        <source>End</source>
        <translation>Einde</translation>
    </message>
    <message>
        <source>Repeat</source>
        <translation>Herhalen</translation>
    </message>
    <message>
        <source>Rule (RFC 5545)</source>
        <translation>Regel (RFC 5545)</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notitie</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Opslaan</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Verwijderen</translation>
    </message>
    <message>
        <source>Does not repeat</source>
        <translation>Niet herhalen</translation>
    </message>
    <message>
        <source>Every day</source>
        <translation>Elke dag</translation>
    </message>
    <message>
        <source>Every week</source>
        <translation>Elke week</translation>
    </message>
    <message>
        <source>Every month</source>
        <translation>Elke maand</translation>
    </message>
    <message>
        <source>Every year</source>
        <translation>Elk jaar</translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation>Op maat…</translation>
    </message>
    <message>
        <source>Give the plan a name.</source>
        <translation>Geef de planning een naam.</translation>
    </message>
    <message>
        <source>The end must be after the start.</source>
        <translation>Het einde moet na het begin liggen.</translation>
    </message>
</context>
<context>
    <name>QueueCallsView</name>
    <message>
        <source>Nobody</source>
        <translation>Niemand</translation>
    </message>
    <message>
        <source>Only calls assigned to me</source>
        <translation>Alleen oproepen die aan mij zijn toegewezen</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Tijd</translation>
    </message>
    <message>
        <source>Caller</source>
        <translation>Beller</translation>
    </message>
    <message>
        <source>Waited</source>
        <translation>Gewacht</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Afloop</translation>
    </message>
    <message>
        <source>Assigned to</source>
        <translation>Toegewezen aan</translation>
    </message>
    <message>
        <source>Handling</source>
        <translation>Afhandeling</translation>
    </message>
    <message>
        <source>No calls</source>
        <translation>Geen oproepen</translation>
    </message>
    <message>
        <source>No calls of this queue match the filter.</source>
        <translation>Geen oproepen van deze wachtrij passen bij het filter.</translation>
    </message>
    <message>
        <source>Call back</source>
        <translation>Terugbellen</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notitie</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Opslaan</translation>
    </message>
    <message>
        <source>Only a supervisor or the agent it is assigned to can change this call.</source>
        <translation>Alleen een supervisor of de agent aan wie de oproep is toegewezen, kan deze wijzigen.</translation>
    </message>
</context>
<context>
    <name>QueueNowView</name>
    <message>
        <source>Available agents</source>
        <translation>Beschikbare agents</translation>
    </message>
    <message>
        <source>Logged-in agents</source>
        <translation>Aangemelde agents</translation>
    </message>
    <message>
        <source>Queue length</source>
        <translation>Wachtrijlengte</translation>
    </message>
    <message>
        <source>Longest wait</source>
        <translation>Langste wachttijd</translation>
    </message>
    <message>
        <source>Average wait</source>
        <translation>Gemiddelde wachttijd</translation>
    </message>
    <message>
        <source>Last wait</source>
        <translation>Laatste wachttijd</translation>
    </message>
    <message>
        <source>Calls today</source>
        <translation>Oproepen vandaag</translation>
    </message>
    <message>
        <source>Calls in the last 24 hours</source>
        <translation>Oproepen in de laatste 24 uur</translation>
    </message>
    <message>
        <source>of today&apos;s answered calls</source>
        <translation>van de beantwoorde oproepen van vandaag</translation>
    </message>
    <message>
        <source>{0} answered · {1} abandoned</source>
        <translation>{0} beantwoord · {1} opgehangen</translation>
    </message>
    <message>
        <source>Waiting callers</source>
        <translation>Wachtende bellers</translation>
    </message>
    <message>
        <source>Nobody is waiting.</source>
        <translation>Er wacht niemand.</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>Agents</translation>
    </message>
</context>
<context>
    <name>QueueRow</name>
    <message>
        <source>Number {0} · {1} of {2} agents available</source>
        <translation>Nummer {0} · {1} van {2} agents beschikbaar</translation>
    </message>
    <message>
        <source>{0} waiting</source>
        <translation>{0} wachtend</translation>
    </message>
    <message>
        <source>Open {0}</source>
        <translation>{0} openen</translation>
    </message>
</context>
<context>
    <name>Queues</name>
    <message>
        <source>Logged in</source>
        <translation>Aangemeld</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Gepauzeerd</translation>
    </message>
    <message>
        <source>Logged out</source>
        <translation>Afgemeld</translation>
    </message>
    <message>
        <source>Not an agent</source>
        <translation>Geen agent</translation>
    </message>
    <message>
        <source>In progress</source>
        <translation>In behandeling</translation>
    </message>
    <message>
        <source>Handled</source>
        <translation>Afgehandeld</translation>
    </message>
    <message>
        <source>Unhandled</source>
        <translation>Niet afgehandeld</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>Gemist</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>Beantwoord</translation>
    </message>
    <message>
        <source>Forwarded</source>
        <translation>Doorgeschakeld</translation>
    </message>
    <message>
        <source>All calls</source>
        <translation>Alle oproepen</translation>
    </message>
    <message>
        <source>Answered by {0}</source>
        <translation>Beantwoord door {0}</translation>
    </message>
    <message>
        <source>Caller hung up</source>
        <translation>Beller hing op</translation>
    </message>
    <message>
        <source>Forwarded to {0}</source>
        <translation>Doorgeschakeld naar {0}</translation>
    </message>
    <message>
        <source>Not answered</source>
        <translation>Niet beantwoord</translation>
    </message>
    <message>
        <source>{0} (Supervisor)</source>
        <translation>{0} (supervisor)</translation>
    </message>
</context>
<context>
    <name>QueuesPage</name>
    <message>
        <source>Queues</source>
        <translation>Wachtrijen</translation>
    </message>
    <message>
        <source>The phone system cannot be reached; the queues show what was known before.</source>
        <translation>De telefooncentrale is niet bereikbaar; de wachtrijen tonen wat eerder bekend was.</translation>
    </message>
    <message>
        <source>All queues</source>
        <translation>Alle wachtrijen</translation>
    </message>
    <message>
        <source>No queues available</source>
        <translation>Geen wachtrijen beschikbaar</translation>
    </message>
    <message>
        <source>You are not an agent or supervisor of any queue. Your administrator can add you to one.</source>
        <translation>Je bent geen agent of supervisor van een wachtrij. Je beheerder kan je aan een wachtrij toevoegen.</translation>
    </message>
    <message>
        <source>Now</source>
        <translation>Nu</translation>
    </message>
    <message>
        <source>Call log</source>
        <translation>Oproepenlijst</translation>
    </message>
</context>
<context>
    <name>RecordingsPage</name>
    <message>
        <source>Delete recording</source>
        <translation>Opname verwijderen</translation>
    </message>
    <message>
        <source>Delete the recording of the call with {0}? This cannot be undone.</source>
        <translation>De opname van het gesprek met {0} verwijderen? Dit kan niet ongedaan worden gemaakt.</translation>
    </message>
    <message>
        <source>Recordings</source>
        <translation>Opnamen</translation>
    </message>
    <message>
        <source>No recordings</source>
        <translation>Geen opnamen</translation>
    </message>
    <message>
        <source>To record a call, open the more button (⌄) in the call window and choose Record.</source>
        <translation>Om een gesprek op te nemen: open in het gespreksvenster de knop meer (⌄) en kies Opnemen.</translation>
    </message>
</context>
<context>
    <name>SearchField</name>
    <message>
        <source>In a call</source>
        <translation>In gesprek</translation>
    </message>
    <message>
        <source>Ringing</source>
        <translation>Gaat over</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>In de wacht</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>Niet ingelogd</translation>
    </message>
    <message>
        <source>Not signed in on any phone</source>
        <translation>Op geen enkele telefoon ingelogd</translation>
    </message>
    <message>
        <source>{status}, {line}</source>
        <translation>{status}, {line}</translation>
    </message>
    <message>
        <source>Private</source>
        <translation>Privé</translation>
    </message>
    <message>
        <source>Pick up</source>
        <translation>Opnemen</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Doorverbinden</translation>
    </message>
    <message>
        <source>Chat with {name}</source>
        <translation>Chatten met {name}</translation>
    </message>
    <message>
        <source>Call {number}</source>
        <translation>{number} bellen</translation>
    </message>
    <message>
        <source>Search name or number</source>
        <translation>Zoek naam of nummer</translation>
    </message>
    <message>
        <source>No results</source>
        <translation>Geen resultaten</translation>
    </message>
    <message>
        <source>Not in the directory</source>
        <translation>Niet in het telefoonboek</translation>
    </message>
    <message>
        <source>Queue · {number}</source>
        <translation>Wachtrij · {number}</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>System default</source>
        <translation>Systeemstandaard</translation>
    </message>
    <message>
        <source>Stop test</source>
        <translation>Test stoppen</translation>
    </message>
    <message>
        <source>Test microphone</source>
        <translation>Microfoon testen</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Instellingen</translation>
    </message>
    <message>
        <source>Audio</source>
        <translation>Audio</translation>
    </message>
    <message>
        <source>Microphone</source>
        <translation>Microfoon</translation>
    </message>
    <message>
        <source>Speaker</source>
        <translation>Luidspreker</translation>
    </message>
    <message>
        <source>Ringer</source>
        <translation>Beltoon</translation>
    </message>
    <message>
        <source>Play test tone</source>
        <translation>Testtoon afspelen</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Taal</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Systeemtaal</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Meldingen</translation>
    </message>
    <message>
        <source>Show desktop notifications</source>
        <translation>Bureaubladmeldingen tonen</translation>
    </message>
    <message>
        <source>Incoming and missed calls, chat messages and new voicemail, from the system&apos;s notification area. None while your status is Do not disturb.</source>
        <translation>Inkomende en gemiste oproepen, chatberichten en nieuwe voicemail, in het meldingengebied van het systeem. Geen meldingen zolang je status Niet storen is.</translation>
    </message>
    <message>
        <source>Diagnostics</source>
        <translation>Diagnose</translation>
    </message>
    <message>
        <source>Diagnostics logging</source>
        <translation>Diagnostische logbestanden</translation>
    </message>
    <message>
        <source>Writes detailed log files to the app&apos;s logs folder for the support team.</source>
        <translation>Schrijft uitgebreide logbestanden naar de map logs van de app, voor de supportafdeling.</translation>
    </message>
    <message>
        <source>Open logs folder</source>
        <translation>Map logs openen</translation>
    </message>
    <message>
        <source>The logs folder</source>
        <translation>De map met logbestanden</translation>
    </message>
</context>
<context>
    <name>SignInsSettings</name>
    <message>
        <source>Unknown program</source>
        <translation>Onbekend programma</translation>
    </message>
    <message>
        <source>{0} on {1}: this app, now</source>
        <translation>{0} op {1}: deze app, nu</translation>
    </message>
    <message>
        <source>{0} on {1}: last used {2}</source>
        <translation>{0} op {1}: laatst gebruikt {2}</translation>
    </message>
    <message>
        <source>Signed in</source>
        <translation>Aangemeld</translation>
    </message>
    <message>
        <source>Where your account is signed in. Sign out a computer or program you no longer use; it has to sign in again with your password.</source>
        <translation>Waar je account is aangemeld. Meld een computer of programma af dat je niet meer gebruikt; het moet zich dan opnieuw aanmelden met je wachtwoord.</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Afmelden</translation>
    </message>
</context>
<context>
    <name>StartupSettings</name>
    <message>
        <source>This computer</source>
        <translation>Deze computer</translation>
    </message>
    <message>
        <source>Stable</source>
        <translation>Stabiel</translation>
    </message>
    <message>
        <source>Beta</source>
        <translation>Bèta</translation>
    </message>
    <message>
        <source>Start-up and server</source>
        <translation>Opstarten en server</translation>
    </message>
    <message>
        <source>Phone system</source>
        <translation>Telefooncentrale</translation>
    </message>
    <message>
        <source>Start at login</source>
        <translation>Automatisch starten bij aanmelden</translation>
    </message>
    <message>
        <source>Updates</source>
        <translation>Updates</translation>
    </message>
    <message>
        <source>Set by your administrator</source>
        <translation>Ingesteld door je beheerder</translation>
    </message>
</context>
<context>
    <name>StatusButton</name>
    <message>
        <source>Available</source>
        <translation>Beschikbaar</translation>
    </message>
    <message>
        <source>Meeting</source>
        <translation>Vergadering</translation>
    </message>
    <message>
        <source>Not present</source>
        <translation>Niet aanwezig</translation>
    </message>
    <message>
        <source>Vacation</source>
        <translation>Vakantie</translation>
    </message>
    <message>
        <source>Lunch</source>
        <translation>Lunch</translation>
    </message>
    <message>
        <source>Business trip</source>
        <translation>Zakenreis</translation>
    </message>
    <message>
        <source>Do not disturb</source>
        <translation>Niet storen</translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n uur</numerusform>
            <numerusform>%n uur</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minuut</numerusform>
            <numerusform>%n minuten</numerusform>
        </translation>
    </message>
    <message>
        <source>Planned: {name} until {end}</source>
        <translation>Gepland: {name} tot {end}</translation>
    </message>
    <message>
        <source>Until {time} ({length})</source>
        <translation>Tot {time} ({length})</translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation>Op maat…</translation>
    </message>
    <message>
        <source>No end time</source>
        <translation>Geen eindtijd</translation>
    </message>
    <message>
        <source>Your status is being loaded</source>
        <translation>Je status wordt geladen</translation>
    </message>
    <message>
        <source>{status} until {time}</source>
        <translation>{status} tot {time}</translation>
    </message>
    <message>
        <source>Change your status</source>
        <translation>Wijzig je status</translation>
    </message>
</context>
<context>
    <name>StatusSwitch</name>
    <message>
        <source>Log in</source>
        <translation>Aanmelden</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pauze</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Afmelden</translation>
    </message>
</context>
<context>
    <name>TopBar</name>
    <message>
        <source>Extension {ext}</source>
        <translation>Toestel {ext}</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Uitloggen</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Afsluiten</translation>
    </message>
    <message>
        <source>Dialer</source>
        <translation>Nummerkiezer</translation>
    </message>
    <message>
        <source>Dial a number or send tones during a call</source>
        <translation>Kies een nummer of stuur tonen tijdens een gesprek</translation>
    </message>
    <message>
        <source>{name} (extension {ext})</source>
        <translation>{name} (toestel {ext})</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>Niet ingelogd</translation>
    </message>
</context>
<context>
    <name>TransferPicker</name>
    <message>
        <source>Transfer to</source>
        <translation>Doorverbinden naar</translation>
    </message>
    <message>
        <source>Invite to this call</source>
        <translation>Uitnodigen voor dit gesprek</translation>
    </message>
    <message>
        <source>Name or number</source>
        <translation>Naam of nummer</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <source>Transfer now</source>
        <translation>Nu doorverbinden</translation>
    </message>
    <message>
        <source>Invite</source>
        <translation>Uitnodigen</translation>
    </message>
    <message>
        <source>Hand the call over without announcing it</source>
        <translation>Verbind door zonder het aan te kondigen</translation>
    </message>
    <message>
        <source>Call them; they join this call when they answer</source>
        <translation>Bel ze; ze doen mee zodra ze opnemen</translation>
    </message>
    <message>
        <source>Consult first</source>
        <translation>Eerst overleggen</translation>
    </message>
    <message>
        <source>Call them first; the caller waits on hold</source>
        <translation>Bel eerst zelf; de beller staat zolang in de wacht</translation>
    </message>
</context>
<context>
    <name>Tray</name>
    <message>
        <source>Acme Phone</source>
        <translation>Acme Phone</translation>
    </message>
    <message numerus="yes">
        <source>%n missed call(s)</source>
        <translation>
            <numerusform>%n gemiste oproep</numerusform>
            <numerusform>%n gemiste oproepen</numerusform>
        </translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Tonen</translation>
    </message>
    <message>
        <source>Status: {status}</source>
        <translation>Status: {status}</translation>
    </message>
    <message>
        <source>Call back {who} (missed call)</source>
        <translation>{who} terugbellen (gemiste oproep)</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Afsluiten</translation>
    </message>
</context>
<context>
    <name>UiShell</name>
    <message>
        <source>Acme Phone</source>
        <translation>Acme Phone</translation>
    </message>
    <message>
        <source>Version {0} is available.</source>
        <translation>Versie {0} is beschikbaar.</translation>
    </message>
</context>
<context>
    <name>UpdateBanner</name>
    <message>
        <source>Remind me at the next version</source>
        <translation>Herinner me bij de volgende versie</translation>
    </message>
    <message>
        <source>Version {0} is available.</source>
        <translation>Versie {0} is beschikbaar.</translation>
    </message>
    <message>
        <source>This version is no longer supported and must be updated.</source>
        <translation>Deze versie wordt niet meer ondersteund en moet worden bijgewerkt.</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Downloaden</translation>
    </message>
</context>
<context>
    <name>VoicemailPage</name>
    <message>
        <source>Personal</source>
        <translation>Persoonlijk</translation>
    </message>
    <message>
        <source>Stop receiving voicemail</source>
        <translation>Voicemail niet meer ontvangen</translation>
    </message>
    <message>
        <source>Receive voicemail again</source>
        <translation>Voicemail heractiveren</translation>
    </message>
    <message>
        <source>Delete voicemail</source>
        <translation>Voicemail verwijderen</translation>
    </message>
    <message>
        <source>Delete the message from {caller}? This cannot be undone.</source>
        <translation>Het bericht van {caller} verwijderen? Dit kan niet ongedaan worden gemaakt.</translation>
    </message>
    <message>
        <source>Personal assistance</source>
        <translation>Persoonlijke assistentie</translation>
    </message>
    <message>
        <source>Callers who reach your voicemail can press 1 to be put through to this number. Leave it empty to not offer this.</source>
        <translation>Bellers die je voicemail krijgen, kunnen op 1 drukken om naar dit nummer doorverbonden te worden. Laat het leeg om dit niet aan te bieden.</translation>
    </message>
    <message>
        <source>Choose your greeting</source>
        <translation>Kies je begroeting</translation>
    </message>
    <message>
        <source>WAV files (*.wav)</source>
        <translation>WAV-bestanden (*.wav)</translation>
    </message>
    <message>
        <source>Voicemail</source>
        <translation>Voicemail</translation>
    </message>
    <message>
        <source>More</source>
        <translation>Meer</translation>
    </message>
    <message>
        <source>Record your greeting…</source>
        <translation>Je begroeting opnemen…</translation>
    </message>
    <message>
        <source>Use a WAV file as your greeting…</source>
        <translation>Een WAV-bestand als begroeting gebruiken…</translation>
    </message>
    <message>
        <source>Use the default greeting</source>
        <translation>De standaardbegroeting gebruiken</translation>
    </message>
    <message>
        <source>Personal assistance number…</source>
        <translation>Nummer voor persoonlijke assistentie…</translation>
    </message>
    <message>
        <source>E-mail for new messages</source>
        <translation>E-mail bij nieuwe berichten</translation>
    </message>
    <message>
        <source>With the recording</source>
        <translation>Met de opname</translation>
    </message>
    <message>
        <source>Without the recording</source>
        <translation>Zonder de opname</translation>
    </message>
    <message>
        <source>No e-mail</source>
        <translation>Geen e-mail</translation>
    </message>
    <message>
        <source>Voicemail is off: callers you miss cannot leave a message.</source>
        <translation>Voicemail staat uit: bellers die je mist, kunnen geen bericht achterlaten.</translation>
    </message>
    <message>
        <source>No voicemail</source>
        <translation>Geen voicemail</translation>
    </message>
    <message>
        <source>When a caller leaves a message because you did not answer, it is here.</source>
        <translation>Laat een beller een bericht achter omdat je niet opnam, dan staat het hier.</translation>
    </message>
</context>
<context>
    <name>VoicemailPlayerBox</name>
    <message>
        <source>Pause</source>
        <translation>Pauze</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>Afspelen</translation>
    </message>
    <message>
        <source>Call back</source>
        <translation>Terugbellen</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Verwijderen</translation>
    </message>
    <message>
        <source>Position in the message</source>
        <translation>Positie in het bericht</translation>
    </message>
</context>
<context>
    <name>WelcomeDialog</name>
    <message>
        <source>Please fill in: {fields}</source>
        <translation>Vul in: {fields}</translation>
    </message>
    <message>
        <source>Welcome to Acme Phone</source>
        <translation>Welkom bij Acme Phone</translation>
    </message>
    <message>
        <source>Sign in with the user name and password from your administrator.</source>
        <translation>Log in met de gebruikersnaam en het wachtwoord die je van je beheerder hebt gekregen.</translation>
    </message>
    <message>
        <source>How do you want to make calls?</source>
        <translation>Hoe wil je bellen?</translation>
    </message>
    <message>
        <source>Set by your administrator</source>
        <translation>Ingesteld door je beheerder</translation>
    </message>
    <message>
        <source>Start a PBX on this computer (demo organisation)</source>
        <translation>Start een telefooncentrale op deze computer (demo-organisatie)</translation>
    </message>
    <message>
        <source>A complete phone system runs inside the app, with a demo organisation. You are signed in as Anna de Vries (201).</source>
        <translation>Een complete telefooncentrale draait in de app, met een demo-organisatie. Je bent ingelogd als Anna de Vries (201).</translation>
    </message>
    <message>
        <source>Connect to a server</source>
        <translation>Verbinden met een server</translation>
    </message>
    <message>
        <source>Use your organisation&apos;s phone system. Your administrator gives you the address.</source>
        <translation>Gebruik de telefooncentrale van je organisatie. Je beheerder geeft je het adres.</translation>
    </message>
    <message>
        <source>Server address:</source>
        <translation>Serveradres:</translation>
    </message>
    <message>
        <source>User name:</source>
        <translation>Gebruikersnaam:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Wachtwoord:</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Doorgaan</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>The administrator&apos;s settings could not be read ({0}); defaults are used.</source>
        <translation>De instellingen van je beheerder konden niet worden gelezen ({0}); de standaardinstellingen worden gebruikt.</translation>
    </message>
    <message>
        <source>Too many wrong passwords. Try again in a minute.</source>
        <translation>Te vaak een verkeerd wachtwoord. Probeer het over een minuut opnieuw.</translation>
    </message>
    <message>
        <source>Your session has ended; please sign in again.</source>
        <translation>Je sessie is verlopen; meld je opnieuw aan.</translation>
    </message>
    <message>
        <source>The server refused the request ({0}).</source>
        <translation>De server weigerde het verzoek ({0}).</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>Onjuiste gebruikersnaam of onjuist wachtwoord.</translation>
    </message>
    <message>
        <source>The server sent an answer that is not JSON.</source>
        <translation>De server stuurde een antwoord dat geen JSON is.</translation>
    </message>
    <message>
        <source>The server had a problem: {0}</source>
        <translation>De server had een probleem: {0}</translation>
    </message>
    <message>
        <source>The server at {0} did not answer in time.</source>
        <translation>De server op {0} antwoordde niet op tijd.</translation>
    </message>
    <message>
        <source>The server at {0} cannot be reached.</source>
        <translation>De server op {0} is niet bereikbaar.</translation>
    </message>
    <message>
        <source>Too many wrong passwords. Try again in {0} seconds.</source>
        <translation>Te vaak een verkeerd wachtwoord. Probeer het over {0} seconden opnieuw.</translation>
    </message>
    <message>
        <source>The server at {0} showed a certificate this app does not trust, so nothing was sent to it.</source>
        <translation>De server op {0} liet een certificaat zien dat deze app niet vertrouwt; er is niets naartoe gestuurd.</translation>
    </message>
    <message>
        <source>Start at login could not be changed: {0}</source>
        <translation>Automatisch starten bij aanmelden kon niet worden gewijzigd: {0}</translation>
    </message>
    <message>
        <source>Not connected to the server.</source>
        <translation>Niet verbonden met de server.</translation>
    </message>
    <message>
        <source>The clipboard holds no phone number.</source>
        <translation>Er staat geen telefoonnummer op het klembord.</translation>
    </message>
    <message>
        <source>There is no second call to transfer to.</source>
        <translation>Er is geen tweede gesprek om naar door te verbinden.</translation>
    </message>
    <message>
        <source>The server does not list this call.</source>
        <translation>De server kent dit gesprek niet.</translation>
    </message>
    <message>
        <source>There is no phone number in “{0}”.</source>
        <translation>Er staat geen telefoonnummer in “{0}”.</translation>
    </message>
    <message>
        <source>The call could not be moved: {0}</source>
        <translation>Het gesprek kon niet worden verplaatst: {0}</translation>
    </message>
    <message>
        <source>{0} contacts imported.</source>
        <translation>{0} contacten geïmporteerd.</translation>
    </message>
    <message>
        <source>Contacts saved to {0}.</source>
        <translation>Contacten opgeslagen in {0}.</translation>
    </message>
    <message>
        <source>The recording cannot be played: {0}</source>
        <translation>De opname kan niet worden afgespeeld: {0}</translation>
    </message>
    <message>
        <source>The call cannot be recorded: {0}</source>
        <translation>Het gesprek kan niet worden opgenomen: {0}</translation>
    </message>
    <message>
        <source>The server did not say where its phone service is.</source>
        <translation>De server heeft niet laten weten waar zijn telefoondienst is.</translation>
    </message>
    <message>
        <source>Starting the phone system…</source>
        <translation>De telefooncentrale wordt gestart…</translation>
    </message>
    <message>
        <source>The phone system stopped unexpectedly; restarting…</source>
        <translation>De telefooncentrale is onverwacht gestopt; opnieuw starten…</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Aanmelden…</translation>
    </message>
    <message>
        <source>Your password cannot be kept on this computer; you will be asked again.</source>
        <translation>Je wachtwoord kan niet op deze computer worden bewaard; het wordt je opnieuw gevraagd.</translation>
    </message>
    <message>
        <source>Connection to the server lost; reconnecting…</source>
        <translation>Verbinding met de server verbroken; opnieuw verbinden…</translation>
    </message>
    <message>
        <source>Please sign in.</source>
        <translation>Meld je aan.</translation>
    </message>
    <message>
        <source>The server cannot be reached; reconnecting…</source>
        <translation>De server is niet bereikbaar; opnieuw verbinden…</translation>
    </message>
    <message>
        <source>No speaker or microphone found. Calls connect but you will not hear them.</source>
        <translation>Geen luidspreker of microfoon gevonden. Gesprekken worden verbonden, maar je hoort ze niet.</translation>
    </message>
    <message>
        <source>microphone</source>
        <translation>microfoon</translation>
    </message>
    <message>
        <source>speaker</source>
        <translation>luidspreker</translation>
    </message>
    <message>
        <source>Playing a test tone on {0}.</source>
        <translation>Testtoon wordt afgespeeld op {0}.</translation>
    </message>
    <message>
        <source>The {0} stopped working ({1}); the call goes on.</source>
        <translation>De {0} werkt niet meer ({1}); het gesprek gaat door.</translation>
    </message>
    <message>
        <source>The test tone could not play: {0}</source>
        <translation>De testtoon kon niet worden afgespeeld: {0}</translation>
    </message>
    <message>
        <source>The microphone could not be opened: {0}</source>
        <translation>De microfoon kon niet worden geopend: {0}</translation>
    </message>
    <message>
        <source>Diagnostics are written to {0}</source>
        <translation>Diagnostische gegevens worden geschreven naar {0}</translation>
    </message>
    <message>
        <source>Your greeting is saved.</source>
        <translation>Je begroeting is opgeslagen.</translation>
    </message>
    <message>
        <source>The voicemail cannot be played: {0}</source>
        <translation>De voicemail kan niet worden afgespeeld: {0}</translation>
    </message>
    <message>
        <source>The microphone cannot be used: {0}</source>
        <translation>De microfoon kan niet worden gebruikt: {0}</translation>
    </message>
    <message>
        <source>The phone system stopped while starting (exit {0}).</source>
        <translation>De telefooncentrale stopte tijdens het starten (code {0}).</translation>
    </message>
    <message>
        <source>The phone system said something unexpected: {0}</source>
        <translation>De telefooncentrale meldde iets onverwachts: {0}</translation>
    </message>
    <message>
        <source>The phone system could not be started: {0}</source>
        <translation>De telefooncentrale kon niet worden gestart: {0}</translation>
    </message>
    <message>
        <source>The phone system did not start within {0} s.</source>
        <translation>De telefooncentrale is niet binnen {0} s gestart.</translation>
    </message>
    <message>
        <source>New voicemail</source>
        <translation>Nieuwe voicemail</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Beantwoorden</translation>
    </message>
    <message>
        <source>Listen…</source>
        <translation>Beluisteren…</translation>
    </message>
    <message>
        <source>Call back</source>
        <translation>Terugbellen</translation>
    </message>
    <message>
        <source>Incoming call</source>
        <translation>Inkomende oproep</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Opnemen</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>Weigeren</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Versturen</translation>
    </message>
    <message>
        <source>Call ended</source>
        <translation>Gesprek beëindigd</translation>
    </message>
    <message>
        <source>Number {number} does not exist</source>
        <translation>Nummer {number} bestaat niet</translation>
    </message>
    <message>
        <source>{who} is not signed in on any phone</source>
        <translation>{who} is op geen enkele telefoon ingelogd</translation>
    </message>
    <message>
        <source>{who} is busy</source>
        <translation>{who} is in gesprek</translation>
    </message>
    <message>
        <source>{who} declined the call</source>
        <translation>{who} heeft de oproep geweigerd</translation>
    </message>
    <message>
        <source>{who} did not answer</source>
        <translation>{who} nam niet op</translation>
    </message>
    <message>
        <source>You hung up before {who} answered</source>
        <translation>Je hing op voordat {who} opnam</translation>
    </message>
    <message>
        <source>{who} hung up before you answered</source>
        <translation>{who} hing op voordat je opnam</translation>
    </message>
    <message>
        <source>You declined the call</source>
        <translation>Je hebt de oproep geweigerd</translation>
    </message>
    <message>
        <source>You were not signed in on any phone</source>
        <translation>Je was op geen enkele telefoon ingelogd</translation>
    </message>
    <message>
        <source>Missed call</source>
        <translation>Gemiste oproep</translation>
    </message>
    <message>
        <source>The phone system cannot be reached; the queues show what was known before.</source>
        <translation>De telefooncentrale is niet bereikbaar; de wachtrijen tonen wat eerder bekend was.</translation>
    </message>
    <message>
        <source>The phone system cannot be reached; the queue shows what was known before.</source>
        <translation>De telefooncentrale is niet bereikbaar; de wachtrij toont wat eerder bekend was.</translation>
    </message>
    <message>
        <source>Your status in {0} could not be changed: {1}</source>
        <translation>Je status in {0} kon niet worden gewijzigd: {1}</translation>
    </message>
    <message>
        <source>The status of {0} in {1} could not be changed: {2}</source>
        <translation>De status van {0} in {1} kon niet worden gewijzigd: {2}</translation>
    </message>
    <message>
        <source>The call could not be changed: {0}</source>
        <translation>De oproep kon niet worden gewijzigd: {0}</translation>
    </message>
    <message>
        <source>via {queue}</source>
        <translation>via {queue}</translation>
    </message>
    <message>
        <source>The phone system refused this call</source>
        <translation>De telefooncentrale heeft deze oproep geweigerd</translation>
    </message>
    <message>
        <source>The phone system could not be reached. Check your network.</source>
        <translation>De telefooncentrale is niet bereikbaar. Controleer je netwerk.</translation>
    </message>
    <message>
        <source>The phone system had a problem with this call. Try again.</source>
        <translation>De telefooncentrale had een probleem met deze oproep. Probeer het opnieuw.</translation>
    </message>
    <message>
        <source>The other phone cannot handle our audio formats</source>
        <translation>De andere telefoon kan onze geluidsformaten niet aan</translation>
    </message>
    <message>
        <source>The connection was lost</source>
        <translation>De verbinding is verbroken</translation>
    </message>
    <message>
        <source>The call did not go through</source>
        <translation>De oproep is niet gelukt</translation>
    </message>
    <message>
        <source>Number does not exist</source>
        <translation>Nummer bestaat niet</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>Niet ingelogd</translation>
    </message>
    <message>
        <source>Busy</source>
        <translation>In gesprek</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>Geweigerd</translation>
    </message>
    <message>
        <source>No answer</source>
        <translation>Niet opgenomen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Afgebroken</translation>
    </message>
    <message>
        <source>Hung up before you answered</source>
        <translation>Opgehangen voordat je opnam</translation>
    </message>
    <message>
        <source>You were not signed in</source>
        <translation>Je was niet ingelogd</translation>
    </message>
    <message>
        <source>Refused</source>
        <translation>Geweigerd door de centrale</translation>
    </message>
    <message>
        <source>Network problem</source>
        <translation>Netwerkprobleem</translation>
    </message>
    <message>
        <source>Phone system error</source>
        <translation>Fout in de telefooncentrale</translation>
    </message>
    <message>
        <source>No common audio format</source>
        <translation>Geen gemeenschappelijk geluidsformaat</translation>
    </message>
    <message>
        <source>Connection lost</source>
        <translation>Verbinding verbroken</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Mislukt</translation>
    </message>
    <message>
        <source>At least 8 characters.</source>
        <translation>Minstens 8 tekens.</translation>
    </message>
    <message>
        <source>At most 30 characters.</source>
        <translation>Hoogstens 30 tekens.</translation>
    </message>
    <message>
        <source>At least one digit (0-9).</source>
        <translation>Minstens één cijfer (0-9).</translation>
    </message>
    <message>
        <source>At least one lower case letter (a-z).</source>
        <translation>Minstens één kleine letter (a-z).</translation>
    </message>
    <message>
        <source>At least one upper case letter (A-Z).</source>
        <translation>Minstens één hoofdletter (A-Z).</translation>
    </message>
    <message>
        <source>At least one special character, such as ! # $ % &amp; * + - . : ; ? @ _</source>
        <translation>Minstens één speciaal teken, zoals ! # $ % &amp; * + - . : ; ? @ _</translation>
    </message>
    <message>
        <source>Only letters, digits and the special characters.</source>
        <translation>Alleen letters, cijfers en de speciale tekens.</translation>
    </message>
    <message>
        <source>Fill in your current password and a new one.</source>
        <translation>Vul je huidige wachtwoord en een nieuw wachtwoord in.</translation>
    </message>
    <message>
        <source>The new password and its repetition differ.</source>
        <translation>Het nieuwe wachtwoord en de herhaling verschillen.</translation>
    </message>
    <message>
        <source>The new password is the same as the current one.</source>
        <translation>Het nieuwe wachtwoord is hetzelfde als het huidige.</translation>
    </message>
    <message>
        <source>The new password needs:</source>
        <translation>Het nieuwe wachtwoord heeft nodig:</translation>
    </message>
    <message>
        <source>Your current password is not right.</source>
        <translation>Je huidige wachtwoord klopt niet.</translation>
    </message>
    <message>
        <source>Too many wrong passwords. Try again in a few minutes.</source>
        <translation>Te vaak een verkeerd wachtwoord. Probeer het over een paar minuten opnieuw.</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>Beschikbaar</translation>
    </message>
    <message>
        <source>In a meeting</source>
        <translation>In vergadering</translation>
    </message>
    <message>
        <source>Not present</source>
        <translation>Niet aanwezig</translation>
    </message>
    <message>
        <source>On vacation</source>
        <translation>Op vakantie</translation>
    </message>
    <message>
        <source>At lunch</source>
        <translation>Aan de lunch</translation>
    </message>
    <message>
        <source>On a business trip</source>
        <translation>Op zakenreis</translation>
    </message>
    <message>
        <source>Do not disturb</source>
        <translation>Niet storen</translation>
    </message>
    <message>
        <source>In a call</source>
        <translation>In gesprek</translation>
    </message>
    <message>
        <source>Ringing</source>
        <translation>Gaat over</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>In de wacht</translation>
    </message>
    <message>
        <source>{date} {time}</source>
        <translation>{date} {time}</translation>
    </message>
    <message>
        <source>{status} until {end}</source>
        <translation>{status} tot {end}</translation>
    </message>
    <message>
        <source>Next: {status} {when}</source>
        <translation>Hierna: {status} {when}</translation>
    </message>
    <message>
        <source>tomorrow {time}</source>
        <translation>morgen {time}</translation>
    </message>
    <message>
        <source>Calls forwarded to {number}</source>
        <translation>Gesprekken doorgeschakeld naar {number}</translation>
    </message>
    <message>
        <source>Other applications that also use the headset buttons (for example Microsoft Teams) can conflict with call control here. Turn off the headset buttons in those applications; in Teams: Settings → Devices → switch off “Sync device buttons”.</source>
        <translation>Andere programma’s die ook de knoppen van de headset gebruiken (bijvoorbeeld Microsoft Teams) kunnen het gespreksbeheer hier verstoren. Zet de headsetknoppen in die programma’s uit; in Teams: Instellingen → Apparaten → zet “Apparaatknoppen synchroniseren” uit.</translation>
    </message>
    <message>
        <source>The chosen headset is not connected.</source>
        <translation>De gekozen headset is niet aangesloten.</translation>
    </message>
    <message>
        <source>Headset call control is off.</source>
        <translation>Headset gespreksbeheer staat uit.</translation>
    </message>
    <message>
        <source>No headset with call control found</source>
        <translation>Geen headset met gespreksbeheer gevonden</translation>
    </message>
    <message>
        <source>In use: {0}</source>
        <translation>In gebruik: {0}</translation>
    </message>
    <message>
        <source>Something went wrong; the log file has the details.</source>
        <translation>Er ging iets mis; het logbestand bevat de details.</translation>
    </message>
    <message>
        <source>The phone could not do that: {0}</source>
        <translation>Dat lukte de telefoon niet: {0}</translation>
    </message>
</context>
<context>
    <name>format</name>
    <message>
        <source>{s} s</source>
        <translation>{s} s</translation>
    </message>
    <message>
        <source>{m} min {s:02d} s</source>
        <translation>{m} min {s:02d} s</translation>
    </message>
</context>
</TS>
