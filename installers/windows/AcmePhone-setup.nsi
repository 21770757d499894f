; AcmePhone per-user setup (NSIS 3): for people without administrator rights.
;
;   makensis -DVERSION=0.1.0 -DSOURCE=dist\AcmePhone -DICON=acmephone.ico ^
;            -DOUTFILE=dist\AcmePhone-0.1.0-setup.exe ^
;            installers\windows\AcmePhone-setup.nsi          (installers/build_setup.py does this)
;
; Installs the one-folder program to %LOCALAPPDATA%\Programs\AcmePhone, no elevation. Silent:
;   AcmePhone-0.1.0-setup.exe /S [/SERVERURL=https://pbx.example.com] [/AUTOSTART=0|1]
; Everything goes under HKCU, with the same names as the MSI's HKLM entries (docs/deployment.md):
; Software\AcmePhone (ServerUrl, AutoStart, InstallDir), the Run value, the sip:/tel:/callto:
; handlers under Software\Classes, and the per-user Add/Remove Programs entry.

Unicode true
!ifndef VERSION
  !define VERSION "0.0.0"
!endif
!ifndef SOURCE
  !error "define SOURCE, the one-folder program holding AcmePhone.exe"
!endif
!ifndef OUTFILE
  !define OUTFILE "AcmePhone-${VERSION}-setup.exe"
!endif
!define PRODUCT "Acme Phone"
!define PUBLISHER "Acme"
!define HELPLINK "https://acme.example/support"
!define EXE "AcmePhone.exe"
!define CONFIGKEY "Software\AcmePhone"
!define RUNKEY "Software\Microsoft\Windows\CurrentVersion\Run"
!define ARPKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\AcmePhone"

Name "${PRODUCT}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\AcmePhone"
InstallDirRegKey HKCU "${CONFIGKEY}" "InstallDir"
SetCompressor /SOLID lzma
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1033 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "FileDescription" "${PRODUCT} setup"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "LegalCopyright" "${PUBLISHER}"

!include "MUI2.nsh"
!include "FileFunc.nsh"

!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Dutch"

Var ServerUrl
Var AutoStart

Function .onInit
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/SERVERURL=" $ServerUrl
  ClearErrors
  ${GetOptions} $R0 "/AUTOSTART=" $AutoStart
  StrCmp $AutoStart "0" +2 0
    StrCpy $AutoStart "1"
FunctionEnd

!macro UrlHandler SCHEME DESCRIPTION
  WriteRegStr HKCU "Software\Classes\${SCHEME}" "" "${DESCRIPTION}"
  WriteRegStr HKCU "Software\Classes\${SCHEME}" "URL Protocol" ""
  WriteRegStr HKCU "Software\Classes\${SCHEME}\DefaultIcon" "" '"$INSTDIR\${EXE}",0'
  WriteRegStr HKCU "Software\Classes\${SCHEME}\shell\open\command" "" '"$INSTDIR\${EXE}" --dial "%1"'
!macroend

!macro RemoveUrlHandler SCHEME
  ; only if it is still ours
  ReadRegStr $R1 HKCU "Software\Classes\${SCHEME}\shell\open\command" ""
  StrCmp $R1 '"$INSTDIR\${EXE}" --dial "%1"' 0 +2
    DeleteRegKey HKCU "Software\Classes\${SCHEME}"
!macroend

Section "Acme Phone" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; an upgrade replaces the program folder; the user's data lives elsewhere (%LOCALAPPDATA%\AcmePhone)
  RMDir /r "$INSTDIR\_internal"
  File /r "${SOURCE}\*.*"
  WriteUninstaller "$INSTDIR\Uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0

  WriteRegStr HKCU "${CONFIGKEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${CONFIGKEY}" "AutoStart" "$AutoStart"
  StrCmp $ServerUrl "" +2 0
    WriteRegStr HKCU "${CONFIGKEY}" "ServerUrl" "$ServerUrl"
  StrCmp $AutoStart "1" 0 +3
    WriteRegStr HKCU "${RUNKEY}" "AcmePhone" '"$INSTDIR\${EXE}" --autostart'
    Goto +2
    DeleteRegValue HKCU "${RUNKEY}" "AcmePhone"

  !insertmacro UrlHandler "sip" "URL:SIP"
  !insertmacro UrlHandler "tel" "URL:Telephone"
  !insertmacro UrlHandler "callto" "URL:Callto"

  WriteRegStr HKCU "${ARPKEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKCU "${ARPKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${ARPKEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${ARPKEY}" "HelpLink" "${HELPLINK}"
  WriteRegStr HKCU "${ARPKEY}" "DisplayIcon" '"$INSTDIR\${EXE}",0'
  WriteRegStr HKCU "${ARPKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${ARPKEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKCU "${ARPKEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKCU "${ARPKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${ARPKEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${ARPKEY}" "EstimatedSize" $0
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${PRODUCT}.lnk"
  DeleteRegValue HKCU "${RUNKEY}" "AcmePhone"
  !insertmacro RemoveUrlHandler "sip"
  !insertmacro RemoveUrlHandler "tel"
  !insertmacro RemoveUrlHandler "callto"
  DeleteRegKey HKCU "${CONFIGKEY}"
  DeleteRegKey HKCU "${ARPKEY}"
  ; the program folder only: settings, logs and the phone system's data stay with the user
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"
SectionEnd
