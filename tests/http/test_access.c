/* test_access.c: the access matrix: every route x every role x not logged in, against a table written out here. */
#include "../unit/testutil.h"

#include "core/clock.h"
#include "core/log.h"
#include "db/migrate.h"
#include "http/routes.h"
#include "http/server.h"
#include "httpclient.h"
// clang-format off
#include "fixture.h" /* after httpclient.h: its globals would shadow the client's parameters */
// clang-format on
#include "model/collection.h"
#include "model/conversation.h"
#include "model/dialogue.h"
#include "model/initiative.h"
#include "model/trajectory.h"
#include "model/script_store.h"
#include "model/user.h"

#include <sodium.h>
#include <stdarg.h>
#include <sys/stat.h>

/* ---- the expected access, written out by hand ------------------------------
 *
 * This table is the specification, not a copy of routes.c: widening a route
 * in routes.c without changing its row here fails test_matrix (the request
 * gets in where the table says it must not) and test_table_agrees. A route
 * without a row, or a row without a route, fails test_table_covers_routes. */

#define BEH  ROLE_BEHEERDER
#define OND  ROLE_ONDERZOEKER
#define GES  ROLE_GESPREKSVOERDER
#define PRO  ROLE_PROCESBEGELEIDER
#define MEE  ROLE_MEELEZER
#define ANON (1u << 30) /* a visitor without a session */

#define ALL_STAFF  (BEH | OND | GES | PRO | MEE)
#define EDITORS    (BEH | OND | PRO)       /* who builds interview scripts */
#define ORGANISERS (BEH | OND | GES | PRO) /* who starts and runs trajectories */
#define EVERYONE   (ANON | BEH | OND | GES | PRO | MEE)

#define PW      "access matrix password 1"
#define PW_FORM "access+matrix+password+1"

/* Someone logged in with a one-time password may open only what it takes
 * to replace it (and what is harmless); pages send them to
 * /account/password, the API refuses them (403). */
enum { OTP_NO, OTP_OK };

/* In real and missing, "@target" stands for the id of an existing account,
 * "@script" for the id of an existing script (its version 1 is published),
 * "@collection" for the id of a collection on that version. */
#define ACCESS_SCRIPT                                                                       \
	"{\"format\":\"vertelpunt-script/1\",\"key\":\"toegang\",\"title\":{\"nl\":"        \
	"\"Toegang\"},\"privacy\":{\"nl\":\"Alleen de gemeente leest dit.\"},\"sections\":" \
	"[{\"id\":\"s\",\"questions\":[{\"id\":\"q\",\"type\":\"story\",\"text\":"          \
	"{\"nl\":\"Vertel\"},\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Vertel "         \
	"maar\"}}]}]}]}"
/* A new script that must not appear: the CSRF test sends it without a token. */
#define ACCESS_SCRIPT_HARM                                                              \
	"{\"format\":\"vertelpunt-script/1\",\"key\":\"csrf-harm\",\"title\":{\"nl\":"  \
	"\"Kwaad\"},\"privacy\":{\"nl\":\"Niets.\"},\"sections\":[{\"id\":\"s\","       \
	"\"questions\":[{\"id\":\"q\",\"type\":\"story\",\"text\":{\"nl\":\"Vertel\"}," \
	"\"prompts\":[{\"id\":\"p\",\"text\":{\"nl\":\"Vertel maar\"}}]}]}]}"

struct row {
	const char *method;
	const char *path; /* exactly as in routes[] */
	unsigned who;     /* who gets in */
	int otp;          /* OTP_OK: open to someone who must still replace a one-time password */
	const char *real; /* the request path, with real values for any {param} */
	const char *missing; /* with a value that does not exist: 404 for who gets in */
	const char *body;    /* POST: a minimal body (after the CSRF token) */
	int json;            /* the body is JSON and the token goes in X-CSRF-Token */
	const char *harm;    /* POST: a body that changes something if it gets through */
	int open;            /* an open POST (ROUTE_OPEN_POST): public, no token asked */
};

/* Rows that are not open POSTs leave the last field out (0). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const struct row table[] = {
        /* method path  who  one-time password  request path  missing  body  json  harm */
        {"GET", "/", EVERYONE, OTP_NO, "/", NULL, NULL, 0, NULL},
        {"GET", "/login", EVERYONE, OTP_NO, "/login", NULL, NULL, 0, NULL},
        {"POST", "/login", EVERYONE, OTP_NO, "/login", NULL, "x=1", 0,
         "username=beheerder&password=" PW_FORM},
        {"POST", "/logout", ALL_STAFF, OTP_OK, "/logout", NULL, "x=1", 0, "x=1"},
        {"GET", "/account", ALL_STAFF, OTP_NO, "/account", NULL, NULL, 0, NULL},
        {"GET", "/account/password", ALL_STAFF, OTP_OK, "/account/password", NULL, NULL, 0, NULL},
        {"POST", "/account/password", ALL_STAFF, OTP_OK, "/account/password", NULL, "x=1", 0,
         "current=" PW_FORM "&new=another+long+password&repeat=another+long+password"},
        {"GET", "/login/2fa", EVERYONE, OTP_NO, "/login/2fa", NULL, NULL, 0, NULL},
        {"POST", "/login/2fa", EVERYONE, OTP_NO, "/login/2fa", NULL, "x=1", 0, "code=123456"},
        {"POST", "/login/2fa/cancel", EVERYONE, OTP_NO, "/login/2fa/cancel", NULL, "x=1", 0, "x=1"},
        {"GET", "/login/2fa/enrol", EVERYONE, OTP_NO, "/login/2fa/enrol", NULL, NULL, 0, NULL},
        {"POST", "/login/2fa/enrol", EVERYONE, OTP_NO, "/login/2fa/enrol", NULL, "x=1", 0,
         "code=123456"},
        {"GET", "/account/2fa", ALL_STAFF, OTP_NO, "/account/2fa", NULL, NULL, 0, NULL},
        {"POST", "/account/2fa", ALL_STAFF, OTP_NO, "/account/2fa", NULL, "x=1", 0,
         "enrol=00&code=123456"},
        {"POST", "/account/2fa/disable", ALL_STAFF, OTP_NO, "/account/2fa/disable", NULL, "x=1", 0,
         "current=" PW_FORM},
        {"POST", "/account/2fa/recovery", ALL_STAFF, OTP_NO, "/account/2fa/recovery", NULL, "x=1",
         0, "current=" PW_FORM},
        {"GET", "/beheer/gebruikers", BEH, OTP_NO, "/beheer/gebruikers", NULL, NULL, 0, NULL},
        {"POST", "/beheer/gebruikers", BEH, OTP_NO, "/beheer/gebruikers", NULL, "x=1", 0,
         "username=csrfvictim&display_name=Victim&role=beheerder"},
        {"POST", "/beheer/gebruikers/{id}", BEH, OTP_NO, "/beheer/gebruikers/@target",
         "/beheer/gebruikers/987654321", "action=enable", 0, "action=disable"},
        {"GET", "/beheer/personen", BEH, OTP_NO, "/beheer/personen", NULL, NULL, 0, NULL},
        {"POST", "/beheer/personen/zoeken", BEH, OTP_NO, "/beheer/personen/zoeken", NULL, "q=x", 0,
         "q=VP-0000-0000"},
        {"GET", "/beheer/personen/{code}", BEH, OTP_NO, "/beheer/personen/VP-0000-0000",
         "/beheer/personen/VP-ZZZZ-ZZZZ", NULL, 0, NULL},
        {"GET", "/beheer/personen/{code}/export", BEH, OTP_NO,
         "/beheer/personen/VP-0000-0000/export", "/beheer/personen/VP-ZZZZ-ZZZZ/export", NULL, 0,
         NULL},
        {"POST", "/beheer/personen/{code}/correct", BEH, OTP_NO,
         "/beheer/personen/VP-0000-0000/correct", "/beheer/personen/VP-ZZZZ-ZZZZ/correct", "name=x",
         0, "name=Changed"},
        {"POST", "/beheer/personen/{code}/erase", BEH, OTP_NO,
         "/beheer/personen/VP-0000-0000/erase", "/beheer/personen/VP-ZZZZ-ZZZZ/erase",
         "confirm=yes", 0, "confirm=yes"},
        /* The outbox (page_outbox.c). The seed has no message, so "try
         * again" answers 404 to whoever gets in; tests/http/test_outbox_page.c
         * does the real work. */
        {"GET", "/beheer/uitgaand", BEH, OTP_NO, "/beheer/uitgaand", NULL, NULL, 0, NULL},
        {"POST", "/beheer/uitgaand/{id}/opnieuw", BEH, OTP_NO, "/beheer/uitgaand/999999/opnieuw",
         "/beheer/uitgaand/987654/opnieuw", "x=1", 0, "x=1"},
        /* The script editor's pages. @script's version 1 is published, so
         * every change to it gets 409 and nothing in test_matrix makes a
         * script or a version: the library row names a template that does
         * not exist and "nieuwe-versie" a version that does not exist (404,
         * which counts as "got in"); tests/http/test_scripts_pages.c does
         * the real work. */
        {"GET", "/vragenlijsten", ALL_STAFF, OTP_NO, "/vragenlijsten", NULL, NULL, 0, NULL},
        {"POST", "/vragenlijsten", EDITORS, OTP_NO, "/vragenlijsten", NULL, "title=", 0,
         "title=Kwaad"},
        {"POST", "/vragenlijsten/import", EDITORS, OTP_NO, "/vragenlijsten/import", NULL, "x=1", 0,
         "x=1"},
        {"POST", "/vragenlijsten/bibliotheek/{name}", EDITORS, OTP_NO,
         "/vragenlijsten/bibliotheek/bestaat-niet", "/vragenlijsten/bibliotheek/ook-niet", "x=1", 0,
         "x=1"},
        {"GET", "/vragenlijsten/{id}", ALL_STAFF, OTP_NO, "/vragenlijsten/@script",
         "/vragenlijsten/999999", NULL, 0, NULL},
        {"GET", "/vragenlijsten/{id}/versies/{n}", ALL_STAFF, OTP_NO,
         "/vragenlijsten/@script/versies/1", "/vragenlijsten/@script/versies/99", NULL, 0, NULL},
        {"POST", "/vragenlijsten/{id}/versies/{n}/teksten", EDITORS, OTP_NO,
         "/vragenlijsten/@script/versies/1/teksten", "/vragenlijsten/999999/versies/1/teksten",
         "title-nl=x", 0, "title-nl=Kwaad"},
        {"POST", "/vragenlijsten/{id}/versies/{n}/vragen", EDITORS, OTP_NO,
         "/vragenlijsten/@script/versies/1/vragen", "/vragenlijsten/999999/versies/1/vragen",
         "type=text&section=s", 0, "type=text&section=s"},
        {"POST", "/vragenlijsten/{id}/versies/{n}/secties", EDITORS, OTP_NO,
         "/vragenlijsten/@script/versies/1/secties", "/vragenlijsten/999999/versies/1/secties",
         "type=text", 0, "type=text"},
        {"GET", "/vragenlijsten/{id}/versies/{n}/vragen/{qid}", ALL_STAFF, OTP_NO,
         "/vragenlijsten/@script/versies/1/vragen/q", "/vragenlijsten/@script/versies/1/vragen/nee",
         NULL, 0, NULL},
        {"POST", "/vragenlijsten/{id}/versies/{n}/vragen/{qid}", EDITORS, OTP_NO,
         "/vragenlijsten/@script/versies/1/vragen/q", "/vragenlijsten/999999/versies/1/vragen/q",
         "text-nl=x", 0, "text-nl=Kwaad"},
        {"POST", "/vragenlijsten/{id}/versies/{n}/vragen/{qid}/verplaatsen", EDITORS, OTP_NO,
         "/vragenlijsten/@script/versies/1/vragen/q/verplaatsen",
         "/vragenlijsten/999999/versies/1/vragen/q/verplaatsen", "richting=omlaag", 0,
         "richting=omlaag"},
        {"POST", "/vragenlijsten/{id}/versies/{n}/vragen/{qid}/verwijderen", EDITORS, OTP_NO,
         "/vragenlijsten/@script/versies/1/vragen/q/verwijderen",
         "/vragenlijsten/999999/versies/1/vragen/q/verwijderen", "x=1", 0, "x=1"},
        {"POST", "/vragenlijsten/{id}/versies/{n}/status", EDITORS, OTP_NO,
         "/vragenlijsten/@script/versies/1/status", "/vragenlijsten/@script/versies/99/status",
         "naar=published", 0, "naar=retired"},
        {"POST", "/vragenlijsten/{id}/versies/{n}/nieuwe-versie", EDITORS, OTP_NO,
         "/vragenlijsten/@script/versies/99/nieuwe-versie",
         "/vragenlijsten/999999/versies/1/nieuwe-versie", "x=1", 0, "x=1"},
        {"GET", "/vragenlijsten/{id}/versies/{n}/papier", ALL_STAFF, OTP_NO,
         "/vragenlijsten/@script/versies/1/papier", "/vragenlijsten/@script/versies/99/papier",
         NULL, 0, NULL},
        {"GET", "/vragenlijsten/{id}/versies/{n}/voorbeeld", ALL_STAFF, OTP_NO,
         "/vragenlijsten/@script/versies/1/voorbeeld",
         "/vragenlijsten/@script/versies/99/voorbeeld", NULL, 0, NULL},
        {"GET", "/vragenlijsten/{id}/versies/{n}/voorbeeld/telefoon", ALL_STAFF, OTP_NO,
         "/vragenlijsten/@script/versies/1/voorbeeld/telefoon",
         "/vragenlijsten/@script/versies/99/voorbeeld/telefoon", NULL, 0, NULL},
        /* Collections. @collection is open on @script's version 1. The
         * page rows get 422 (no title, no ticked box); the API's close row
         * closes it (it stays readable); tests/http/test_collections_pages.c
         * does the real work. */
        /* Trajectories: "@trajectory" is one every role's user is on;
         * test_matrix also asks for another trajectory's records. */
        {"GET", "/trajecten", ALL_STAFF, OTP_NO, "/trajecten", NULL, NULL, 0, NULL},
        {"POST", "/trajecten", ORGANISERS, OTP_NO, "/trajecten", NULL, "x=1", 0,
         "title=csrf-harm-trajectory"},
        {"GET", "/trajecten/{id}", ALL_STAFF, OTP_NO, "/trajecten/@trajectory", "/trajecten/999999",
         NULL, 0, NULL},
        {"GET", "/trajecten/{id}/bewerken", ORGANISERS, OTP_NO, "/trajecten/@trajectory/bewerken",
         "/trajecten/999999/bewerken", NULL, 0, NULL},
        {"POST", "/trajecten/{id}/bewerken", ORGANISERS, OTP_NO, "/trajecten/@trajectory/bewerken",
         "/trajecten/999999/bewerken", "x=1", 0, "title=Gekaapt"},
        {"POST", "/trajecten/{id}/medewerkers", ORGANISERS, OTP_NO,
         "/trajecten/@trajectory/medewerkers", "/trajecten/999999/medewerkers", "x=1", 0,
         "action=remove&username=meelezer"},
        {"POST", "/trajecten/{id}/sluiten", ORGANISERS, OTP_NO, "/trajecten/@trajectory/sluiten",
         "/trajecten/999999/sluiten", "x=1", 0, "action=close"},
        {"GET", "/trajecten/{id}/contact", ALL_STAFF, OTP_NO, "/trajecten/@trajectory/contact",
         "/trajecten/999999/contact", NULL, 0, NULL},
        {"GET", "/trajecten/{id}/overzicht", ALL_STAFF, OTP_NO, "/trajecten/@trajectory/overzicht",
         "/trajecten/999999/overzicht", NULL, 0, NULL},
        {"GET", "/trajecten/{id}/rapport", ALL_STAFF, OTP_NO, "/trajecten/@trajectory/rapport",
         "/trajecten/999999/rapport", NULL, 0, NULL},
        {"POST", "/trajecten/{id}/contact/{cid}/afgehandeld", ORGANISERS, OTP_NO,
         "/trajecten/@trajectory/contact/999999/afgehandeld",
         "/trajecten/999999/contact/1/afgehandeld", "x=1", 0, "x=1"},
        {"POST", "/trajecten/{id}/gesprekken", ORGANISERS, OTP_NO,
         "/trajecten/@trajectory/gesprekken", "/trajecten/999999/gesprekken", "x=1", 0,
         "conversation-title=csrf-harm-conversation"},
        {"GET", "/trajecten/{id}/gesprekken/{cid}", ALL_STAFF, OTP_NO,
         "/trajecten/@trajectory/gesprekken/@conversation",
         "/trajecten/@trajectory/gesprekken/999999", NULL, 0, NULL},
        {"POST", "/trajecten/{id}/gesprekken/{cid}/personen", ORGANISERS, OTP_NO,
         "/trajecten/@trajectory/gesprekken/@conversation/personen",
         "/trajecten/@trajectory/gesprekken/999999/personen", "x=1", 0,
         "kind=resident&name=Harm&email=harm%40example.org"},
        {"POST", "/trajecten/{id}/gesprekken/{cid}/uitnodigen", ORGANISERS, OTP_NO,
         "/trajecten/@trajectory/gesprekken/@conversation/uitnodigen",
         "/trajecten/@trajectory/gesprekken/999999/uitnodigen", "x=1", 0,
         "channel=letter&invitation-text=Harm"},
        {"POST", "/trajecten/{id}/gesprekken/{cid}/afspraak", ORGANISERS, OTP_NO,
         "/trajecten/@trajectory/gesprekken/@conversation/afspraak",
         "/trajecten/@trajectory/gesprekken/999999/afspraak", "x=1", 0,
         "starts=2099-01-01T10:00&minutes=60&place_kind=home"},
        {"POST", "/trajecten/{id}/gesprekken/{cid}/verloop", ORGANISERS, OTP_NO,
         "/trajecten/@trajectory/gesprekken/@conversation/verloop",
         "/trajecten/@trajectory/gesprekken/999999/verloop", "x=1", 0,
         "action=note&note-text=csrf-harm-note"},
        {"GET", "/gesprekken", ALL_STAFF, OTP_NO, "/gesprekken", NULL, NULL, 0, NULL},
        /* Mirror conversations (page_mirror.c). "@conversation" is a
         * kitchen-table one: its page under the mirror path sends to its
         * own (303), the mirror's own changes answer 404 to whoever gets in;
         * tests/http/test_mirror_pages.c does the real work. */
        {"GET", "/trajecten/{id}/spiegelgesprekken", ALL_STAFF, OTP_NO,
         "/trajecten/@trajectory/spiegelgesprekken", "/trajecten/999999/spiegelgesprekken", NULL, 0,
         NULL},
        {"POST", "/trajecten/{id}/spiegelgesprekken", ORGANISERS, OTP_NO,
         "/trajecten/@trajectory/spiegelgesprekken", "/trajecten/999999/spiegelgesprekken", "x=1",
         0, "mirror-title=csrf-harm-mirror&facilitator=Harm"},
        {"GET", "/trajecten/{id}/spiegelgesprekken/{cid}", ALL_STAFF, OTP_NO,
         "/trajecten/@trajectory/spiegelgesprekken/@conversation",
         "/trajecten/@trajectory/spiegelgesprekken/999999", NULL, 0, NULL},
        {"POST", "/trajecten/{id}/spiegelgesprekken/{cid}/personen", ORGANISERS, OTP_NO,
         "/trajecten/@trajectory/spiegelgesprekken/@conversation/personen",
         "/trajecten/@trajectory/spiegelgesprekken/999999/personen", "x=1", 0,
         "kind=resident&name=Harm&email=harm%40example.org"},
        {"POST", "/trajecten/{id}/spiegelgesprekken/{cid}/uitnodigen", ORGANISERS, OTP_NO,
         "/trajecten/@trajectory/spiegelgesprekken/@conversation/uitnodigen",
         "/trajecten/@trajectory/spiegelgesprekken/999999/uitnodigen", "x=1", 0,
         "channel=letter&invitation-text=Harm"},
        {"POST", "/trajecten/{id}/spiegelgesprekken/{cid}/afspraak", ORGANISERS, OTP_NO,
         "/trajecten/@trajectory/spiegelgesprekken/@conversation/afspraak",
         "/trajecten/@trajectory/spiegelgesprekken/999999/afspraak", "x=1", 0,
         "starts=2099-01-01T10:00&minutes=60&place_kind=home"},
        {"POST", "/trajecten/{id}/spiegelgesprekken/{cid}/verloop", ORGANISERS, OTP_NO,
         "/trajecten/@trajectory/spiegelgesprekken/@conversation/verloop",
         "/trajecten/@trajectory/spiegelgesprekken/999999/verloop", "x=1", 0,
         "action=note&note-text=csrf-harm-note"},
        {"POST", "/trajecten/{id}/spiegelgesprekken/{cid}/spiegel", ORGANISERS, OTP_NO,
         "/trajecten/@trajectory/spiegelgesprekken/@conversation/spiegel",
         "/trajecten/@trajectory/spiegelgesprekken/999999/spiegel", "x=1", 0,
         "action=observer&observer-name=csrf-harm"},
        /* Citizen initiatives (page_initiatives.c); the seed's initiative,
         * outside any trajectory, is number 1. */
        {"GET", "/initiatieven", ALL_STAFF, OTP_NO, "/initiatieven", NULL, NULL, 0, NULL},
        {"POST", "/initiatieven", ORGANISERS, OTP_NO, "/initiatieven", NULL, "x=1", 0,
         "initiative-title=csrf-harm-initiative&idea=Harm"},
        {"GET", "/initiatieven/{id}", ALL_STAFF, OTP_NO, "/initiatieven/1", "/initiatieven/999999",
         NULL, 0, NULL},
        {"POST", "/initiatieven/{id}/initiatiefnemers", ORGANISERS, OTP_NO,
         "/initiatieven/1/initiatiefnemers", "/initiatieven/999999/initiatiefnemers", "x=1", 0,
         "name=Harm&email=harm%40example.org"},
        {"POST", "/initiatieven/{id}/gesprek", ORGANISERS, OTP_NO, "/initiatieven/1/gesprek",
         "/initiatieven/999999/gesprek", "x=1", 0, "outcome=csrf-harm"},
        {"POST", "/initiatieven/{id}/status", ORGANISERS, OTP_NO, "/initiatieven/1/status",
         "/initiatieven/999999/status", "x=1", 0, "to=first_conversation"},
        /* A personal link: the token is the authority (made up here, so
         * everyone who gets in meets 404; tests/http/test_conversations.c
         * uses real ones). */
        {"GET", "/uitnodiging/{token}", EVERYONE, OTP_NO,
         "/uitnodiging/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
         "/uitnodiging/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", NULL, 0, NULL},
        {"POST", "/uitnodiging/{token}", EVERYONE, OTP_NO,
         "/uitnodiging/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
         "/uitnodiging/BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", "x=1", 0, "response=declined"},
        {"GET", "/meedoen/{slug}", EVERYONE, OTP_NO, "/meedoen/toegang", "/meedoen/bestaat-niet",
         NULL, 0, NULL},
        {"POST", "/meedoen/{slug}/contact", EVERYONE, OTP_NO, "/meedoen/toegang/contact",
         "/meedoen/bestaat-niet/contact", "x=1", 0, "message=harm&email=h%40example.org"},
        /* Dialogue tables: session 1 with tables 1-4 is in "@trajectory"
         * (setup), where every role's user is a responsible official. */
        {"GET", "/trajecten/{id}/dialoog", ALL_STAFF, OTP_NO, "/trajecten/@trajectory/dialoog",
         "/trajecten/999999/dialoog", NULL, 0, NULL},
        {"POST", "/trajecten/{id}/dialoog", ORGANISERS, OTP_NO, "/trajecten/@trajectory/dialoog",
         "/trajecten/999999/dialoog", "x=1", 0,
         "title=csrf-harm-session&starts=2099-01-02T10:00&minutes=60&place=Zaal&"
         "closes=2099-01-01T10:00&capacity=10"},
        {"GET", "/trajecten/{id}/dialoog/sessies/{sid}", ALL_STAFF, OTP_NO,
         "/trajecten/@trajectory/dialoog/sessies/1",
         "/trajecten/@trajectory/dialoog/sessies/999999", NULL, 0, NULL},
        {"POST", "/trajecten/{id}/dialoog/sessies/{sid}/indelen", ORGANISERS, OTP_NO,
         "/trajecten/@trajectory/dialoog/sessies/1/indelen",
         "/trajecten/@trajectory/dialoog/sessies/999999/indelen", "x=1", 0, "x=1"},
        {"POST", "/trajecten/{id}/dialoog/aanmeldingen/{rid}", ORGANISERS, OTP_NO,
         "/trajecten/@trajectory/dialoog/aanmeldingen/999999",
         "/trajecten/@trajectory/dialoog/aanmeldingen/999998", "action=cancel", 0, "action=cancel"},
        {"POST", "/trajecten/{id}/dialoog/tafels/{tid}/begeleiders", ORGANISERS, OTP_NO,
         "/trajecten/@trajectory/dialoog/tafels/1/begeleiders",
         "/trajecten/@trajectory/dialoog/tafels/999999/begeleiders", "action=add&user=999999", 0,
         "action=add&user=1"},
        {"GET", "/trajecten/{id}/dialoog/tafels/{tid}", ALL_STAFF, OTP_NO,
         "/trajecten/@trajectory/dialoog/tafels/1", "/trajecten/@trajectory/dialoog/tafels/999999",
         NULL, 0, NULL},
        {"POST", "/trajecten/{id}/dialoog/tafels/{tid}/beurt", ORGANISERS, OTP_NO,
         "/trajecten/@trajectory/dialoog/tafels/1/beurt",
         "/trajecten/@trajectory/dialoog/tafels/999999/beurt", "speaker=0", 0, "speaker=0"},
        {"POST", "/trajecten/{id}/dialoog/tafels/{tid}/notities", ORGANISERS, OTP_NO,
         "/trajecten/@trajectory/dialoog/tafels/1/notities",
         "/trajecten/@trajectory/dialoog/tafels/999999/notities", "kind=note", 0,
         "kind=note&body=csrf-harm-note"},
        {"GET", "/trajecten/{id}/dialoog/afspraken", ALL_STAFF, OTP_NO,
         "/trajecten/@trajectory/dialoog/afspraken", "/trajecten/999999/dialoog/afspraken", NULL, 0,
         NULL},
        {"POST", "/trajecten/{id}/dialoog/afspraken", ORGANISERS, OTP_NO,
         "/trajecten/@trajectory/dialoog/afspraken", "/trajecten/999999/dialoog/afspraken",
         "base=x", 0, "base=0&agreement-1=csrf-harm-agreement"},
        {"POST", "/trajecten/{id}/dialoog/afspraken/status", ORGANISERS, OTP_NO,
         "/trajecten/@trajectory/dialoog/afspraken/status",
         "/trajecten/999999/dialoog/afspraken/status", "status=x", 0, "status=presented"},
        {"POST", "/trajecten/{id}/dialoog/evaluatie", ORGANISERS, OTP_NO,
         "/trajecten/@trajectory/dialoog/evaluatie", "/trajecten/999999/dialoog/evaluatie", "x=1",
         0, "confirm=yes"},
        {"GET", "/meedoen/{slug}/dialoog", EVERYONE, OTP_NO, "/meedoen/toegang/dialoog",
         "/meedoen/bestaat-niet/dialoog", NULL, 0, NULL},
        {"POST", "/meedoen/{slug}/dialoog", EVERYONE, OTP_NO, "/meedoen/toegang/dialoog",
         "/meedoen/bestaat-niet/dialoog", "x=1", 0,
         "session-1=1&name=Harm&email=harm%40example.org"},
        /* The cancel link of a registration's e-mail: public; this token is
         * not one the server made (404 for everyone);
         * tests/http/test_dialogue_pages.c cancels with a real one. */
        {"GET", "/afmelden/{token}", EVERYONE, OTP_NO,
         "/afmelden/1-0123456789abcdef0123456789abcdef", "/afmelden/1-x", NULL, 0, NULL},
        {"POST", "/afmelden/{token}", EVERYONE, OTP_NO,
         "/afmelden/1-0123456789abcdef0123456789abcdef", "/afmelden/1-x", "x=1", 0, "x=1"},
        {"GET", "/verzamelingen", ALL_STAFF, OTP_NO, "/verzamelingen", NULL, NULL, 0, NULL},
        {"POST", "/verzamelingen", EDITORS, OTP_NO, "/verzamelingen", NULL, "title=", 0,
         "title=Kwaad&purpose=Kwaad&version=1%3A1&retention=730"},
        {"GET", "/verzamelingen/{id}", ALL_STAFF, OTP_NO, "/verzamelingen/@collection",
         "/verzamelingen/999999", NULL, 0, NULL},
        {"POST", "/verzamelingen/{id}/sluiten", EDITORS, OTP_NO,
         "/verzamelingen/@collection/sluiten", "/verzamelingen/999999/sluiten", "x=1", 0,
         "confirm=yes"},
        {"GET", "/verzamelingen/{id}/poster", ALL_STAFF, OTP_NO,
         "/verzamelingen/@collection/poster", "/verzamelingen/999999/poster", NULL, 0, NULL},
        {"GET", "/verzamelingen/{id}/flyer", ALL_STAFF, OTP_NO, "/verzamelingen/@collection/flyer",
         "/verzamelingen/999999/flyer", NULL, 0, NULL},
        {"GET", "/verzamelingen/{id}/qr.svg", ALL_STAFF, OTP_NO,
         "/verzamelingen/@collection/qr.svg", "/verzamelingen/999999/qr.svg", NULL, 0, NULL},
        /* The catalogue of methods: the staff read, administrators edit and
         * add. Method 1 is seeded by the migration; "x=1" gets 422 (no
         * name), the harm bodies are valid; tests/http/test_methods.c does
         * the real work. */
        {"GET", "/werkvormen", ALL_STAFF, OTP_NO, "/werkvormen", NULL, NULL, 0, NULL},
        {"GET", "/werkvormen/nieuw", BEH, OTP_NO, "/werkvormen/nieuw", NULL, NULL, 0, NULL},
        {"POST", "/werkvormen/nieuw", BEH, OTP_NO, "/werkvormen/nieuw", NULL, "x=1", 0,
         "name_nl=Kwaad&goal_nl=Kwaad&rung=raadplegen&step_nl_1=Kwaad"},
        {"GET", "/werkvormen/{id}", ALL_STAFF, OTP_NO, "/werkvormen/1", "/werkvormen/999999", NULL,
         0, NULL},
        {"GET", "/werkvormen/{id}/bewerken", BEH, OTP_NO, "/werkvormen/1/bewerken",
         "/werkvormen/999999/bewerken", NULL, 0, NULL},
        {"POST", "/werkvormen/{id}/bewerken", BEH, OTP_NO, "/werkvormen/1/bewerken",
         "/werkvormen/999999/bewerken", "x=1", 0,
         "name_nl=Kwaad&goal_nl=Kwaad&rung=raadplegen&step_nl_1=Kwaad"},
        /* The explorer: every staff role reads, like the analysis API;
         * tests/http/test_explore_pages.c does the real work. */
        {"GET", "/verkennen/{id}", ALL_STAFF, OTP_NO, "/verkennen/@collection", "/verkennen/999999",
         NULL, 0, NULL},
        {"GET", "/verkennen/{id}/patronen", ALL_STAFF, OTP_NO, "/verkennen/@collection/patronen",
         "/verkennen/999999/patronen", NULL, 0, NULL},
        {"GET", "/verkennen/{id}/vergelijken", ALL_STAFF, OTP_NO,
         "/verkennen/@collection/vergelijken", "/verkennen/999999/vergelijken", NULL, 0, NULL},
        /* The words a group uses more: the explorer's readers;
         * tests/http/test_keyness_api.c does the real work. */
        {"GET", "/verkennen/{id}/woorden", ALL_STAFF, OTP_NO, "/verkennen/@collection/woorden",
         "/verkennen/999999/woorden", NULL, 0, NULL},
        /* The stories behind a view and its downloads: the explorer's readers;
         * tests/http/test_explore_stories.c does the real work. */
        {"GET", "/verkennen/{id}/verhalen", ALL_STAFF, OTP_NO, "/verkennen/@collection/verhalen",
         "/verkennen/999999/verhalen", NULL, 0, NULL},
        {"GET", "/verkennen/{id}/verhalen/kaarten", ALL_STAFF, OTP_NO,
         "/verkennen/@collection/verhalen/kaarten", "/verkennen/999999/verhalen/kaarten", NULL, 0,
         NULL},
        {"GET", "/verkennen/{id}/export.csv", ALL_STAFF, OTP_NO,
         "/verkennen/@collection/export.csv", "/verkennen/999999/export.csv", NULL, 0, NULL},
        {"GET", "/verkennen/{id}/export.xlsx", ALL_STAFF, OTP_NO,
         "/verkennen/@collection/export.xlsx", "/verkennen/999999/export.xlsx", NULL, 0, NULL},
        {"GET", "/verkennen/{id}/export.json", ALL_STAFF, OTP_NO,
         "/verkennen/@collection/export.json", "/verkennen/999999/export.json", NULL, 0, NULL},
        {"GET", "/verkennen/{id}/grafiek/{file}", ALL_STAFF, OTP_NO,
         "/verkennen/@collection/grafiek/q.svg", "/verkennen/999999/grafiek/q.svg", NULL, 0, NULL},
        /* Themes: every reader, like the explorer and the analysis API (a
         * reader may stop a computation); tests/http/test_themes_api.c does the
         * real work. */
        {"GET", "/verkennen/{id}/themas", ALL_STAFF, OTP_NO, "/verkennen/@collection/themas",
         "/verkennen/999999/themas", NULL, 0, NULL},
        {"POST", "/verkennen/{id}/themas/stoppen", ALL_STAFF, OTP_NO,
         "/verkennen/@collection/themas/stoppen", "/verkennen/999999/themas/stoppen", "k=", 0,
         "k=3"},
        {"GET", "/api/v1/collections/{id}/themes", ALL_STAFF, OTP_NO,
         "/api/v1/collections/@collection/themes?k=2", "/api/v1/collections/999999/themes", NULL, 0,
         NULL},
        {"GET", "/api/v1/trajectories/{id}/themes", ALL_STAFF, OTP_NO,
         "/api/v1/trajectories/@trajectory/themes?k=2", "/api/v1/trajectories/999999/themes", NULL,
         0, NULL},
        /* Story sets and tags: every reader sees them, who builds scripts
         * changes them (set 1 and story 1 need not exist: 404 and 422 are in). */
        {"GET", "/verkennen/{id}/selecties", ALL_STAFF, OTP_NO, "/verkennen/@collection/selecties",
         "/verkennen/999999/selecties", NULL, 0, NULL},
        {"GET", "/verkennen/{id}/selecties/{set}", ALL_STAFF, OTP_NO,
         "/verkennen/@collection/selecties/1", "/verkennen/999999/selecties/1", NULL, 0, NULL},
        {"POST", "/verkennen/{id}/selecties", EDITORS, OTP_NO, "/verkennen/@collection/selecties",
         "/verkennen/999999/selecties", "x=1", 0, "verhaal=1&naam=csrf"},
        {"POST", "/verkennen/{id}/selecties/{set}/verwijderen", EDITORS, OTP_NO,
         "/verkennen/@collection/selecties/1/verwijderen",
         "/verkennen/999999/selecties/1/verwijderen", "x=1", 0, "verhaal=1"},
        {"POST", "/verkennen/{id}/verhalen/{story}/labels", EDITORS, OTP_NO,
         "/verkennen/@collection/verhalen/1/labels", "/verkennen/999999/verhalen/1/labels", "x=1",
         0, "labels=csrf"},
        /* People over time, client and consultant, overviews and reports:
         * every reader (a collection without such questions answers 400). */
        {"GET", "/verkennen/{id}/mensen", ALL_STAFF, OTP_NO, "/verkennen/@collection/mensen",
         "/verkennen/999999/mensen", NULL, 0, NULL},
        {"GET", "/verkennen/{id}/perspectieven", ALL_STAFF, OTP_NO,
         "/verkennen/@collection/perspectieven", "/verkennen/999999/perspectieven", NULL, 0, NULL},
        {"GET", "/verkennen/{id}/perspectieven/verhalen", ALL_STAFF, OTP_NO,
         "/verkennen/@collection/perspectieven/verhalen",
         "/verkennen/999999/perspectieven/verhalen", NULL, 0, NULL},
        {"GET", "/verkennen/{id}/overzicht", ALL_STAFF, OTP_NO, "/verkennen/@collection/overzicht",
         "/verkennen/999999/overzicht", NULL, 0, NULL},
        {"GET", "/verkennen/{id}/rapport", ALL_STAFF, OTP_NO, "/verkennen/@collection/rapport",
         "/verkennen/999999/rapport", NULL, 0, NULL},
        /* A story taken with a client: conversation leads and administrators.
         * Without a draft the steps send to the start (303), the start
         * without consent answers 422; tests/http/test_story_staff.c does
         * the real work. */
        {"GET", "/verzamelingen/{id}/opnemen", GES | BEH, OTP_NO,
         "/verzamelingen/@collection/opnemen", "/verzamelingen/999999/opnemen", NULL, 0, NULL},
        {"POST", "/verzamelingen/{id}/opnemen", GES | BEH, OTP_NO,
         "/verzamelingen/@collection/opnemen", "/verzamelingen/999999/opnemen", "x=1", 0,
         "consent=1&channel=phone"},
        {"GET", "/verzamelingen/{id}/opnemen/stap/{n}", GES | BEH, OTP_NO,
         "/verzamelingen/@collection/opnemen/stap/1", "/verzamelingen/999999/opnemen/stap/1", NULL,
         0, NULL},
        {"POST", "/verzamelingen/{id}/opnemen/stap/{n}", GES | BEH, OTP_NO,
         "/verzamelingen/@collection/opnemen/stap/1", "/verzamelingen/999999/opnemen/stap/1",
         "action=next", 0, "action=next&a-q=x"},
        {"POST", "/verzamelingen/{id}/opnemen/versturen", GES | BEH, OTP_NO,
         "/verzamelingen/@collection/opnemen/versturen", "/verzamelingen/999999/opnemen/versturen",
         "x=1", 0, "x=1"},
        {"POST", "/verzamelingen/{id}/opnemen/stoppen", GES | BEH, OTP_NO,
         "/verzamelingen/@collection/opnemen/stoppen", "/verzamelingen/999999/opnemen/stoppen",
         "x=1", 0, "x=1"},
        /* The short code from a poster: a code that exists nowhere (422). */
        {"GET", "/code", EVERYONE, OTP_NO, "/code", NULL, NULL, 0, NULL},
        {"POST", "/code", EVERYONE, OTP_NO, "/code", NULL, "code=2222-2222", 0, "code=2222-2222"},
        {"GET", "/taal/{lang}", EVERYONE, OTP_OK, "/taal/en", "/taal/xx", NULL, 0, NULL},
        {"GET", "/static/{name}", EVERYONE, OTP_OK, "/static/vertelpunt.css", "/static/nope.css",
         NULL, 0, NULL},
        {"GET", "/healthz", EVERYONE, OTP_OK, "/healthz", NULL, NULL, 0, NULL},
        {"GET", "/.well-known/security.txt", EVERYONE, OTP_OK, "/.well-known/security.txt", NULL,
         NULL, 0, NULL},
        {"GET", "/api/v1/openapi.json", EVERYONE, OTP_OK, "/api/v1/openapi.json", NULL, NULL, 0,
         NULL},
        {"GET", "/api/v1/me", ALL_STAFF, OTP_OK, "/api/v1/me", NULL, NULL, 0, NULL},
        {"GET", "/api/v1/users", BEH, OTP_NO, "/api/v1/users", NULL, NULL, 0, NULL},
        /* An upload with a urlencoded body is refused by the handler (415),
         * which counts as "got in": the roles are what is checked here;
         * tests/http/test_uploads.c uploads for real. */
        {"GET", "/api/v1/scripts", ALL_STAFF, OTP_NO, "/api/v1/scripts", NULL, NULL, 0, NULL},
        {"POST", "/api/v1/scripts", EDITORS, OTP_NO, "/api/v1/scripts", NULL, "{}", 1,
         ACCESS_SCRIPT_HARM},
        {"GET", "/api/v1/scripts/{id}", ALL_STAFF, OTP_NO, "/api/v1/scripts/@script",
         "/api/v1/scripts/999999", NULL, 0, NULL},
        {"POST", "/api/v1/scripts/{id}/versions", EDITORS, OTP_NO,
         "/api/v1/scripts/@script/versions", "/api/v1/scripts/999999/versions", "{\"from\":99}", 1,
         "{}"},
        {"GET", "/api/v1/scripts/{id}/versions/{n}", ALL_STAFF, OTP_NO,
         "/api/v1/scripts/@script/versions/1", "/api/v1/scripts/@script/versions/99", NULL, 0,
         NULL},
        /* Version 1 is published: a valid body gets 409, never a change. */
        {"PUT", "/api/v1/scripts/{id}/versions/{n}", EDITORS, OTP_NO,
         "/api/v1/scripts/@script/versions/1", "/api/v1/scripts/999999/versions/1", ACCESS_SCRIPT,
         1, ACCESS_SCRIPT},
        {"POST", "/api/v1/scripts/{id}/versions/{n}/status", EDITORS, OTP_NO,
         "/api/v1/scripts/@script/versions/1/status", "/api/v1/scripts/@script/versions/99/status",
         "{\"status\":\"published\"}", 1, "{\"status\":\"retired\"}"},
        {"GET", "/api/v1/scripts/{id}/versions/{n}/lint", ALL_STAFF, OTP_NO,
         "/api/v1/scripts/@script/versions/1/lint", "/api/v1/scripts/999999/versions/1/lint", NULL,
         0, NULL},
        {"POST", "/api/v1/scripts/{id}/versions/{n}/check", ALL_STAFF, OTP_NO,
         "/api/v1/scripts/@script/versions/1/check", "/api/v1/scripts/@script/versions/7/check",
         "{\"answers\":{}}", 1, "{\"answers\":{}}"},
        {"GET", "/api/v1/collections", ALL_STAFF, OTP_NO, "/api/v1/collections", NULL, NULL, 0,
         NULL},
        {"POST", "/api/v1/collections", EDITORS, OTP_NO, "/api/v1/collections", NULL, "{}", 1,
         "{\"title\":\"Kwaad\",\"purpose\":\"Kwaad\",\"script_id\":1,"
         "\"script_version\":1}"},
        {"POST", "/api/v1/collections/{id}/close", EDITORS, OTP_NO,
         "/api/v1/collections/@collection/close", "/api/v1/collections/999999/close", "{}", 1,
         "{}"},
        {"GET", "/api/v1/methods", ALL_STAFF, OTP_NO, "/api/v1/methods", NULL, NULL, 0, NULL},
        {"GET", "/api/v1/methods/{id}", ALL_STAFF, OTP_NO, "/api/v1/methods/1",
         "/api/v1/methods/999999", NULL, 0, NULL},
        /* The pattern engine: every staff role reads. @collection has no
         * stories and one story question "q"; a missing collection,
         * measure or question is 404; tests/http/test_analysis_api.c does
         * the real work. */
        {"GET", "/api/v1/collections/{id}/analysis", ALL_STAFF, OTP_NO,
         "/api/v1/collections/@collection/analysis", "/api/v1/collections/999999/analysis", NULL, 0,
         NULL},
        {"GET", "/api/v1/collections/{id}/analysis/{measure}", ALL_STAFF, OTP_NO,
         "/api/v1/collections/@collection/analysis/count",
         "/api/v1/collections/@collection/analysis/frob", NULL, 0, NULL},
        {"GET", "/api/v1/collections/{id}/analysis/{measure}/{q}", ALL_STAFF, OTP_NO,
         "/api/v1/collections/@collection/analysis/distribution/q",
         "/api/v1/collections/@collection/analysis/distribution/nee", NULL, 0, NULL},
        {"GET", "/api/v1/collections/{id}/analysis/{measure}/{q}/{q2}", ALL_STAFF, OTP_NO,
         "/api/v1/collections/@collection/analysis/crosstab/q/q",
         "/api/v1/collections/999999/analysis/crosstab/q/q", NULL, 0, NULL},
        /* Full-text search: every staff role, like the analysis API. */
        {"GET", "/api/v1/collections/{id}/search", ALL_STAFF, OTP_NO,
         "/api/v1/collections/@collection/search?q=zorg",
         "/api/v1/collections/999999/search?q=zorg", NULL, 0, NULL},
        {"GET", "/api/v1/trajectories/{id}/search", ALL_STAFF, OTP_NO,
         "/api/v1/trajectories/@trajectory/search?q=zorg",
         "/api/v1/trajectories/999999/search?q=zorg", NULL, 0, NULL},
        /* Keyness: every staff role, like the analysis API;
         * tests/http/test_keyness_api.c does the real work. */
        {"GET", "/api/v1/collections/{id}/keyness", ALL_STAFF, OTP_NO,
         "/api/v1/collections/@collection/keyness", "/api/v1/collections/999999/keyness", NULL, 0,
         NULL},
        {"GET", "/api/v1/trajectories/{id}/keyness", ALL_STAFF, OTP_NO,
         "/api/v1/trajectories/@trajectory/keyness", "/api/v1/trajectories/999999/keyness", NULL, 0,
         NULL},
        /* The same over a trajectory's collections (@collection is in
         * @trajectory); tests/cli/analyse_trajectory_checks.py and
         * tests/http/test_analysis_api.c do the real work. */
        {"GET", "/api/v1/trajectories/{id}/analysis", ALL_STAFF, OTP_NO,
         "/api/v1/trajectories/@trajectory/analysis", "/api/v1/trajectories/999999/analysis", NULL,
         0, NULL},
        {"GET", "/api/v1/trajectories/{id}/analysis/{measure}", ALL_STAFF, OTP_NO,
         "/api/v1/trajectories/@trajectory/analysis/count",
         "/api/v1/trajectories/@trajectory/analysis/frob", NULL, 0, NULL},
        {"GET", "/api/v1/trajectories/{id}/analysis/{measure}/{q}", ALL_STAFF, OTP_NO,
         "/api/v1/trajectories/@trajectory/analysis/distribution/q",
         "/api/v1/trajectories/@trajectory/analysis/distribution/nee", NULL, 0, NULL},
        {"GET", "/api/v1/trajectories/{id}/analysis/{measure}/{q}/{q2}", ALL_STAFF, OTP_NO,
         "/api/v1/trajectories/@trajectory/analysis/crosstab/q/q",
         "/api/v1/trajectories/999999/analysis/crosstab/q/q", NULL, 0, NULL},
        /* Stories to a collection's link: public, without a token (an
         * offline queue sends hours later). The link here does not exist:
         * 404 for everyone; tests/http/test_stories_api.c sends real ones. */
        {"POST", "/api/v1/collections/{token}/stories", EVERYONE, OTP_NO,
         "/api/v1/collections/0123456789abcdef0123456789abcdef/stories",
         "/api/v1/collections/ffffffffffffffffffffffffffffffff/stories", "{}", 1, "{}", 1},
        {"POST", "/api/v1/uploads", ALL_STAFF, OTP_NO, "/api/v1/uploads", NULL, "{}", 1, "{}"},
        /* The resident's story form: public, forms with the visitor's
         * double-submit token. The link here does not exist: 404 for
         * everyone; tests/http/test_story_form.c tells real stories. */
        {"GET", "/v/{token}", EVERYONE, OTP_NO, "/v/0123456789abcdef0123456789abcdef",
         "/v/ffffffffffffffffffffffffffffffff", NULL, 0, NULL},
        {"POST", "/v/{token}/start", EVERYONE, OTP_NO, "/v/0123456789abcdef0123456789abcdef/start",
         "/v/ffffffffffffffffffffffffffffffff/start", "x=1", 0, "consent=1"},
        {"GET", "/v/{token}/stap/{n}", EVERYONE, OTP_NO,
         "/v/0123456789abcdef0123456789abcdef/stap/1", "/v/ffffffffffffffffffffffffffffffff/stap/1",
         NULL, 0, NULL},
        {"POST", "/v/{token}/stap/{n}", EVERYONE, OTP_NO,
         "/v/0123456789abcdef0123456789abcdef/stap/1", "/v/ffffffffffffffffffffffffffffffff/stap/1",
         "action=next", 0, "action=next"},
        {"POST", "/v/{token}/versturen", EVERYONE, OTP_NO,
         "/v/0123456789abcdef0123456789abcdef/versturen",
         "/v/ffffffffffffffffffffffffffffffff/versturen", "x=1", 0, "x=1"},
        {"GET", "/v/{token}/verder", EVERYONE, OTP_NO, "/v/0123456789abcdef0123456789abcdef/verder",
         "/v/ffffffffffffffffffffffffffffffff/verder", NULL, 0, NULL},
        {"POST", "/v/{token}/verder", EVERYONE, OTP_NO,
         "/v/0123456789abcdef0123456789abcdef/verder", "/v/ffffffffffffffffffffffffffffffff/verder",
         "code=x", 0, "code=K7M4Q2PX"},
        /* The form at a kiosk: public like the form itself; the link here
         * does not exist (404); tests/http/test_story_kiosk.c uses a real one. */
        {"GET", "/v/{token}/kiosk", EVERYONE, OTP_NO, "/v/0123456789abcdef0123456789abcdef/kiosk",
         "/v/ffffffffffffffffffffffffffffffff/kiosk", NULL, 0, NULL},
        {"POST", "/v/{token}/kiosk/start", EVERYONE, OTP_NO,
         "/v/0123456789abcdef0123456789abcdef/kiosk/start",
         "/v/ffffffffffffffffffffffffffffffff/kiosk/start", "x=1", 0, "consent=1"},
        {"GET", "/v/{token}/kiosk/stap/{n}", EVERYONE, OTP_NO,
         "/v/0123456789abcdef0123456789abcdef/kiosk/stap/1",
         "/v/ffffffffffffffffffffffffffffffff/kiosk/stap/1", NULL, 0, NULL},
        {"POST", "/v/{token}/kiosk/stap/{n}", EVERYONE, OTP_NO,
         "/v/0123456789abcdef0123456789abcdef/kiosk/stap/1",
         "/v/ffffffffffffffffffffffffffffffff/kiosk/stap/1", "action=next", 0, "action=next"},
        {"POST", "/v/{token}/kiosk/versturen", EVERYONE, OTP_NO,
         "/v/0123456789abcdef0123456789abcdef/kiosk/versturen",
         "/v/ffffffffffffffffffffffffffffffff/kiosk/versturen", "x=1", 0, "x=1"},
        {"POST", "/v/{token}/kiosk/opnieuw", EVERYONE, OTP_NO,
         "/v/0123456789abcdef0123456789abcdef/kiosk/opnieuw",
         "/v/ffffffffffffffffffffffffffffffff/kiosk/opnieuw", "x=1", 0, "x=1"},
        /* The offline form, its service worker and manifest: public;
         * tests/http/test_story_offline.c opens a real link. */
        {"GET", "/v/{token}/offline", EVERYONE, OTP_NO,
         "/v/0123456789abcdef0123456789abcdef/offline",
         "/v/ffffffffffffffffffffffffffffffff/offline", NULL, 0, NULL},
        {"GET", "/sw.js", EVERYONE, OTP_NO, "/sw.js", NULL, NULL, 0, NULL},
        {"GET", "/manifest.webmanifest", EVERYONE, OTP_NO, "/manifest.webmanifest", NULL, NULL, 0,
         NULL},
        {"GET", "/uploads/{token}", EVERYONE, OTP_NO, "/uploads/0123456789abcdef0123456789abcdef",
         "/uploads/ffffffffffffffffffffffffffffffff", NULL, 0, NULL},
        {"POST", "/api/v1/users", BEH, OTP_NO, "/api/v1/users", NULL, "{}", 1,
         "{\"username\":\"csrfapi\",\"name\":\"Victim\",\"role\":\"beheerder\"}"},
};
#pragma GCC diagnostic pop
static const size_t table_count = sizeof table / sizeof table[0];

/* Later issues add per-trajectory access: a record (story, conversation,
 * participant) belongs to a trajectory, and a user with the right role who is
 * not on that trajectory must be refused it. Such routes get a third
 * dimension in this table (own trajectory / another trajectory), with a
 * record of each created at setup; the expected outcome for "another
 * trajectory" is 403 or 404, never the record. See the matching comment in
 * test_matrix. */

/* ---- fixture ------------------------------------------------------------- */

enum { NROLES = 5, ANON_IDX = NROLES, NIDENT = NROLES + 1 };

static const unsigned role_bits[NROLES] = {BEH, OND, GES, PRO, MEE};
static const char *const role_user[NROLES] = {"beheerder", "onderzoeker", "gespreksvoerder",
                                              "procesbegeleider", "meelezer"};

struct ident {
	const char *name; /* for messages */
	struct jar jar;
	char token[128]; /* the session's CSRF token, or the visitor's double-submit token */
};

static char pwhash[PWHASH_MAX];
static long long target_id;     /* an account the administrator's requests may change */
static long long script_id;     /* a script whose version 1 is published */
static long long collection_id; /* a collection on that version, in trajectory_id */
static long long trajectory_id; /* a trajectory every role's user is on */
/* A trajectory nobody of the roles is on, with a collection of its own:
 * the user of every role but the administrator gets 404 for its records. */
static long long foreign_trajectory_id, foreign_collection_id;
static int use_foreign; /* fill_path: the foreign records instead */
/* A conversation in "@trajectory" ("@conversation") and one in the foreign
 * trajectory. */
static long long conversation_id, foreign_conversation_id;
static struct ident ids[NIDENT];
static int failures; /* mismatches found by the current test */

static void mismatch(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	print_message("  mismatch: %s\n", msg);
	failures++;
}

/* Logs in through the form; returns the status of POST /login. */
static int login(struct jar *j, const char *user)
{
	struct http_resp r;
	assert_int_equal(http_get(port, j, "/login", &r), 0);
	char token[128];
	assert_int_equal(html_hidden(&r, "csrf_token", token, sizeof token), 0);
	http_free(&r);
	char form[512];
	snprintf(form, sizeof form, "csrf_token=%s&username=%s&password=%s", token, user, PW);
	for (char *p = form; *p; p++)
		if (*p == ' ')
			*p = '+';
	assert_int_equal(http_post_form(port, j, "/login", form, &r), 0);
	int st = r.status;
	http_free(&r);
	return st;
}

/* 1 when the jar's session is alive. GET /account/password is open to every
 * role, also with a one-time password: 200 with a session, 303 without. */
static int session_alive(const struct jar *j)
{
	struct jar tmp = *j;
	struct http_resp r;
	assert_int_equal(http_get(port, &tmp, "/account/password", &r), 0);
	int ok = r.status == 200;
	http_free(&r);
	return ok;
}

/* Logs user in from address ip and reads the session's CSRF token from the
 * password form. */
static void login_as(struct ident *id, const char *user, const char *ip)
{
	memset(&id->jar, 0, sizeof id->jar);
	snprintf(id->jar.ip, sizeof id->jar.ip, "%s", ip);
	assert_int_equal(login(&id->jar, user), 303);
	assert_int_equal(strlen(id->jar.session), 64);
	struct jar tmp = id->jar;
	struct http_resp r;
	assert_int_equal(http_get(port, &tmp, "/account/password", &r), 0);
	assert_int_equal(r.status, 200);
	assert_int_equal(html_hidden(&r, "csrf_token", id->token, sizeof id->token), 0);
	assert_int_equal(strlen(id->token), 64);
	http_free(&r);
}

static void ident_login(int i)
{
	char ip[32];
	snprintf(ip, sizeof ip, "10.9.0.%d", i + 1);
	login_as(&ids[i], role_user[i], ip);
}

static int setup(void **state)
{
	db *d = fixture_open("access");
	assert_non_null(d);
	/* argon2 is slow by design: one hash, shared by every account. */
	char *hash = pwhash;
	assert_int_equal(user_hash_password(PW, hash), 0);
	int64_t org, uid;
	assert_int_equal(org_ensure(d, "Gemeente Toegang", &org), DB_OK);
	for (int i = 0; i < NROLES; i++)
		assert_int_equal(user_insert(d, org, role_user[i], role_user[i], role_bits[i], hash,
		                             0, &uid),
		                 DB_OK);
	assert_int_equal(user_insert(d, org, "doelwit", "Doel Wit", MEE, hash, 0, &uid), DB_OK);
	target_id = (long long)uid;
	assert_int_equal(user_insert(d, org, "eenmalig", "Een Malig", BEH, hash, 1, &uid), DB_OK);
	/* A script with a published version 1. */
	char err[256];
	struct script *sc =
	        script_parse_text(ACCESS_SCRIPT, strlen(ACCESS_SCRIPT), err, sizeof err);
	assert_non_null(sc);
	struct script_save_job sj = {.org_id = org, .script = sc};
	assert_int_equal(script_save_write(d, &sj), 0); /* in the fixture's transaction */
	struct script_status_job pj = {
	        .org_id = org, .script_id = sj.script_id, .version = 1, .to = SCRIPT_PUBLISHED};
	assert_int_equal(script_status_write(d, &pj), 0);
	assert_int_equal(pj.result, SCRIPT_OK);
	script_free(sc);
	script_id = (long long)sj.script_id;
	/* A trajectory every role's user is on ("@trajectory"), published as
	 * /meedoen/toegang, and one nobody is on. */
	struct trajectory_new tn = {.org_id = org, .f = {.title = "Toegang", .published = 1}};
	assert_int_equal(trajectory_create_write(d, &tn), DB_OK);
	trajectory_id = (long long)tn.id;
	for (int i = 0; i < NROLES; i++) {
		struct user u;
		assert_int_equal(user_by_name(d, role_user[i], &u, NULL), DB_ROW);
		struct trajectory_staff_change sc2 = {
		        .org_id = org, .id = tn.id, .user_id = u.id, .add = 1, .responsible = 1};
		assert_int_equal(trajectory_staff_write(d, &sc2), DB_OK);
		assert_true(sc2.found);
	}
	struct trajectory_new fn = {.org_id = org, .f = {.title = "Ander traject"}};
	assert_int_equal(trajectory_create_write(d, &fn), DB_OK);
	foreign_trajectory_id = (long long)fn.id;
	struct collection_new fc = {.org_id = org,
	                            .title = "Ander",
	                            .purpose = "Van een ander traject",
	                            .script_id = sj.script_id,
	                            .script_version = 1,
	                            .retention_days = COLLECTION_RETENTION_DEFAULT,
	                            .trajectory_id = fn.id};
	assert_int_equal(collection_create_write(d, &fc), 0);
	assert_int_equal(fc.result, COLLECTION_OK);
	foreign_collection_id = (long long)fc.id;
	struct conversation_new cv1 = {.trajectory_id = tn.id, .title = "Keukentafel"};
	assert_int_equal(conversation_create_write(d, &cv1), DB_OK);
	conversation_id = (long long)cv1.id;
	struct conversation_new cv2 = {.trajectory_id = fn.id, .title = "Van een ander"};
	assert_int_equal(conversation_create_write(d, &cv2), DB_OK);
	foreign_conversation_id = (long long)cv2.id;
	/* Dialogue session 1 (tables 1-4) in "@trajectory", open for registration. */
	struct dialogue_session_new ds = {.trajectory_id = tn.id,
	                                  .title = "Toegang",
	                                  .starts_at = clock_now() + 30 * 86400,
	                                  .minutes = 60,
	                                  .place = "Zaal",
	                                  .closes_at = clock_now() + 29 * 86400,
	                                  .capacity = 10};
	assert_int_equal(dialogue_session_create_write(d, &ds), DB_OK);
	assert_int_equal(ds.id, 1);
	/* A citizen initiative outside any trajectory: "/initiatieven/1". */
	struct initiative_new in = {.org_id = org, .title = "Toegang", .idea = "Een bankje."};
	assert_int_equal(initiative_create_write(d, &in), DB_OK);
	assert_int_equal(in.id, 1);
	/* A collection on it ("@collection"), in "@trajectory". */
	struct collection_new cn = {.org_id = org,
	                            .trajectory_id = tn.id,
	                            .title = "Toegang",
	                            .purpose = "Toegang testen",
	                            .script_id = sj.script_id,
	                            .script_version = 1,
	                            .retention_days = COLLECTION_RETENTION_DEFAULT};
	assert_int_equal(collection_create_write(d, &cn), 0);
	assert_int_equal(cn.result, COLLECTION_OK);
	collection_id = (long long)cn.id;
	struct app_config cfg;
	fixture_config(&cfg);
	cfg.conn_timeout = 5;
	cfg.per_ip_limit = 40;
	if (fixture_start(d, &cfg) != 0)
		return -1;

	for (int i = 0; i < NROLES; i++) {
		ids[i].name = role_user[i];
		ident_login(i);
	}
	/* The visitor: the double-submit token comes with the login form. */
	ids[ANON_IDX].name = "not logged in";
	snprintf(ids[ANON_IDX].jar.ip, sizeof ids[ANON_IDX].jar.ip, "10.9.1.1");
	struct http_resp r;
	assert_int_equal(http_get(port, &ids[ANON_IDX].jar, "/login", &r), 0);
	http_free(&r);
	assert_int_equal(strlen(ids[ANON_IDX].jar.csrf), 64);
	snprintf(ids[ANON_IDX].token, sizeof ids[ANON_IDX].token, "%s", ids[ANON_IDX].jar.csrf);
	return 0;
}

static int teardown(void **state)
{
	return fixture_stop();
}

/* ---- helpers ------------------------------------------------------------- */

static const struct row *row_for(const char *method, const char *path)
{
	for (size_t i = 0; i < table_count; i++)
		if (strcmp(table[i].method, method) == 0 && strcmp(table[i].path, path) == 0)
			return &table[i];
	return NULL;
}

static const struct route *route_for(const char *method, const char *path)
{
	for (size_t i = 0; i < routes_count; i++)
		if (strcmp(routes[i].method, method) == 0 && strcmp(routes[i].path, path) == 0)
			return &routes[i];
	return NULL;
}

/* The request path with "@target" replaced by the target account's id. */
static void fill_path(const char *tmpl, char *out, size_t cap)
{
	const char *at = strstr(tmpl, "@target");
	const char *sc = strstr(tmpl, "@script");
	const char *co = strstr(tmpl, "@collection");
	const char *tr = strstr(tmpl, "@trajectory");
	const char *cv = strstr(tmpl, "@conversation");
	if (tr) {
		/* "@trajectory" and maybe "@conversation" after it */
		char rest[256];
		if (cv)
			snprintf(rest, sizeof rest, "%.*s%lld%s", (int)(cv - (tr + 11)), tr + 11,
			         use_foreign ? foreign_conversation_id : conversation_id, cv + 13);
		else
			snprintf(rest, sizeof rest, "%s", tr + 11);
		buf o;
		buf_init(&o);
		buf_printf(&o, "%.*s%lld", (int)(tr - tmpl), tmpl,
		           use_foreign ? foreign_trajectory_id : trajectory_id);
		buf_puts(&o, rest);
		assert_true(o.len < cap);
		memcpy(out, o.data, o.len + 1);
		buf_free(&o);
	} else if (at)
		snprintf(out, cap, "%.*s%lld%s", (int)(at - tmpl), tmpl, target_id, at + 7);
	else if (co)
		snprintf(out, cap, "%.*s%lld%s", (int)(co - tmpl), tmpl,
		         use_foreign ? foreign_collection_id : collection_id, co + 11);
	else if (sc)
		snprintf(out, cap, "%.*s%lld%s", (int)(sc - tmpl), tmpl, script_id, sc + 7);
	else
		snprintf(out, cap, "%s", tmpl);
}

static int is_api(const char *path)
{
	return strncmp(path, "/api/", 5) == 0;
}

/* Sends the row's request as who: with token (NULL: none) in the form field
 * or, for JSON, the X-CSRF-Token header. The jar is not changed. */
static void send_as(const struct ident *who, const struct row *rw, const char *path,
                    const char *token, const char *rbody, struct http_resp *r)
{
	struct jar tmp = who->jar;
	if (!rw->body) {
		assert_int_equal(http_do(port, &tmp, rw->method, path, NULL, NULL, NULL, 0, r), 0);
		return;
	}
	char hdr[200] = "", body[600];
	if (rw->json) {
		if (token)
			snprintf(hdr, sizeof hdr, "X-CSRF-Token: %s\r\n", token);
		snprintf(body, sizeof body, "%s", rbody);
	} else if (token) {
		snprintf(body, sizeof body, "csrf_token=%s&%s", token, rbody);
	} else {
		snprintf(body, sizeof body, "%s", rbody);
	}
	assert_int_equal(
	        http_do(port, &tmp, rw->method, path,
	                rw->json ? "application/json" : "application/x-www-form-urlencoded",
	                hdr[0] ? hdr : NULL, body, strlen(body), r),
	        0);
}

static int goes_to_login(struct http_resp *r)
{
	const char *loc = http_header(r, "Location");
	return r->status >= 300 && r->status < 400 && loc && strncmp(loc, "/login", 6) == 0 &&
	       (loc[6] == '\0' || loc[6] == '?');
}

/* Checks one cell: who sends the row's request to path; want_in says
 * whether the table lets who in; want_404 that the handler must then answer
 * 404 (a value that does not exist). */
static void check_cell(const struct ident *who, int anon, const struct row *rw, const char *path,
                       int want_in, int want_404)
{
	struct http_resp r;
	send_as(who, rw, path, who->token, rw->body, &r);
	const char *what = rw->method;
	if (want_in) {
		if (r.status == 401 || r.status == 403 || goes_to_login(&r))
			mismatch("%s %s as %s: refused (%d) but the table lets them in", what, path,
			         who->name, r.status);
		else if (r.status < 200 || r.status >= 500)
			mismatch("%s %s as %s: status %d", what, path, who->name, r.status);
		else if (want_404 && r.status != 404)
			mismatch("%s %s as %s: %d for a value that does not exist, want 404", what,
			         path, who->name, r.status);
	} else if (!anon) {
		if (r.status != 403)
			mismatch("%s %s as %s: %d, want 403 (the table keeps them out)", what, path,
			         who->name, r.status);
	} else if (is_api(path)) {
		if (r.status != 401)
			mismatch("%s %s not logged in: %d, want 401", what, path, r.status);
	} else {
		char want[300];
		snprintf(want, sizeof want, "/login?next=%s", path);
		const char *loc = http_header(&r, "Location");
		if (r.status != 303 || !loc || strcmp(loc, want) != 0)
			mismatch("%s %s not logged in: %d to %s, want 303 to %s", what, path,
			         r.status, loc ? loc : "(none)", want);
	}
	http_free(&r);
}

/* After a POST as a logged-in role: a refused request must have left the
 * session alone; an accepted one (POST /logout) may have ended it, and then
 * the role logs in again. */
static void after_post(int i, int was_in, const char *what)
{
	if (session_alive(&ids[i].jar))
		return;
	if (!was_in)
		mismatch("POST %s as %s: the table keeps them out, yet the session ended", what,
		         ids[i].name);
	ident_login(i);
}

/* ---- tests ---------------------------------------------------------------- */

/* Every route has exactly one row, every row a route. */
static void test_table_covers_routes(void **state)
{
	int bad = 0;
	for (size_t i = 0; i < routes_count; i++) {
		int n = 0;
		for (size_t k = 0; k < table_count; k++)
			n += strcmp(table[k].method, routes[i].method) == 0 &&
			     strcmp(table[k].path, routes[i].path) == 0;
		if (n != 1) {
			print_message("  %s %s: %d rows in the access table, want 1\n",
			              routes[i].method, routes[i].path, n);
			bad++;
		}
	}
	for (size_t k = 0; k < table_count; k++) {
		if (!route_for(table[k].method, table[k].path)) {
			print_message("  %s %s: in the access table but not in routes[]\n",
			              table[k].method, table[k].path);
			bad++;
		}
		int get = strcmp(table[k].method, "GET") == 0;
		if (get == (table[k].body != NULL) || get == (table[k].harm != NULL)) {
			print_message("  %s %s: a non-GET row needs a body and a harm body, a GET "
			              "row neither\n",
			              table[k].method, table[k].path);
			bad++;
		}
		const struct route *rt = route_for(table[k].method, table[k].path);
		if (rt && !!(rt->flags & ROUTE_OPEN_POST) != table[k].open) {
			print_message(
			        "  %s %s: open POST in routes[] and in the table must agree\n",
			        table[k].method, table[k].path);
			bad++;
		}
		if ((strchr(table[k].path, '{') != NULL) != (table[k].missing != NULL)) {
			print_message("  %s %s: a row with {param} needs a missing value\n",
			              table[k].method, table[k].path);
			bad++;
		}
		if (table[k].who & ANON && (table[k].who & ALL_STAFF) != ALL_STAFF) {
			print_message("  %s %s: open to visitors but not to every role\n",
			              table[k].method, table[k].path);
			bad++;
		}
	}
	assert_int_equal(table_count, routes_count);
	assert_int_equal(bad, 0);
}

/* The roles in routes.c say the same as the table: a quick, readable
 * diagnosis before test_matrix shows the effect over HTTP. */
static void test_table_agrees(void **state)
{
	int bad = 0;
	for (size_t i = 0; i < routes_count; i++) {
		const struct row *rw = row_for(routes[i].method, routes[i].path);
		if (!rw)
			continue; /* test_table_covers_routes reports it */
		unsigned granted =
		        routes[i].roles & ROLE_PUBLIC ? EVERYONE : routes[i].roles & ALL_STAFF;
		if (granted != rw->who) {
			print_message("  %s %s: routes.c lets in 0x%x, the table 0x%x\n",
			              routes[i].method, routes[i].path, granted, rw->who);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* Every route x every role x not logged in, over HTTP, with a valid session
 * and a valid CSRF token: in or out exactly as the table says. */
static void test_matrix(void **state)
{
	failures = 0;
	int cells = 0;
	for (size_t k = 0; k < table_count; k++) {
		const struct row *rw = &table[k];
		char real[256], missing[256];
		fill_path(rw->real, real, sizeof real);
		if (rw->missing)
			fill_path(rw->missing, missing, sizeof missing);
		for (int i = 0; i < NIDENT; i++) {
			int anon = i == ANON_IDX;
			unsigned bit = anon ? ANON : role_bits[i];
			int in = (rw->who & bit) != 0;
			check_cell(&ids[i], anon, rw, real, in, 0);
			cells++;
			/* Per-trajectory access: the same request for a record of a
			 * trajectory the user is not on answers 404 (as if it did
			 * not exist), except to the administrator, who sees all. */
			const struct route *rt = route_for(rw->method, rw->path);
			if (in && !anon && rt &&
			    (rt->flags & (ROUTE_COLLECTION | ROUTE_TRAJECTORY))) {
				char foreign[256];
				use_foreign = 1;
				fill_path(rw->real, foreign, sizeof foreign);
				use_foreign = 0;
				check_cell(&ids[i], anon, rw, foreign, in, role_bits[i] != BEH);
				cells++;
				if (strcmp(rw->method, "GET") != 0)
					after_post(i, in, rw->path);
			}
			if (strcmp(rw->method, "GET") == 0) {
				/* HEAD takes the GET route: the same people get in. */
				struct row head = *rw;
				head.method = "HEAD";
				check_cell(&ids[i], anon, &head, real, in, 0);
				cells++;
			}
			if (!anon && strcmp(rw->method, "GET") != 0)
				after_post(i, in, rw->path);
			if (rw->missing) {
				check_cell(&ids[i], anon, rw, missing, in, 1);
				cells++;
				if (!anon && strcmp(rw->method, "GET") != 0)
					after_post(i, in, rw->path);
			}
		}
	}
	print_message("  %d cells over %zu routes\n", cells, table_count);
	assert_int_equal(failures, 0);
}

/* Every POST route, for everyone it lets in: without a CSRF token, with a
 * made-up one, with another session's and (logged in) with the visitor
 * double-submit token, the answer is 403 and nothing happens. */
static void test_csrf_on_posts(void **state)
{
	failures = 0;
	int checks = 0;
	static const char zeros[] =
	        "0000000000000000000000000000000000000000000000000000000000000000";
	for (size_t k = 0; k < table_count; k++) {
		const struct row *rw = &table[k];
		if (strcmp(rw->method, "GET") == 0 || rw->open)
			continue;
		char real[256];
		fill_path(rw->real, real, sizeof real);
		for (int i = 0; i < NIDENT; i++) {
			int anon = i == ANON_IDX;
			if (!(rw->who & (anon ? ANON : role_bits[i])))
				continue; /* refused before the token matters: test_matrix */
			const char *bad[4] = {NULL, zeros, NULL, NULL};
			const char *label[4] = {"no token", "a made-up token",
			                        "another session's token", "the visitor token"};
			int n = 2;
			if (anon) {
				/* A session's token is no double-submit token. */
				bad[n++] = ids[0].token;
			} else {
				bad[n++] = ids[(i + 1) % NROLES].token;
				bad[n++] = ids[ANON_IDX].token;
			}
			for (int b = 0; b < n; b++) {
				struct ident who = ids[i];
				if (!anon) /* the visitor cookie too, so double submit would match */
					snprintf(who.jar.csrf, sizeof who.jar.csrf, "%s",
					         ids[ANON_IDX].token);
				struct http_resp r;
				send_as(&who, rw, real, bad[b], rw->harm, &r);
				if (r.status != 403)
					mismatch("%s %s as %s with %s: %d, want 403", rw->method,
					         real, ids[i].name, label[b], r.status);
				const char *sc = http_header(&r, "Set-Cookie");
				if (sc && strncmp(sc, "__Host-vp_session=", 18) == 0)
					mismatch("%s %s as %s with %s: sets a session cookie",
					         rw->method, real, ids[i].name, label[b]);
				http_free(&r);
				checks++;
				if (!anon && !session_alive(&ids[i].jar)) {
					mismatch("%s %s as %s with %s: the session ended",
					         rw->method, real, ids[i].name, label[b]);
					ident_login(i);
				}
			}
			/* A wrong token in the header does not help a form either. */
			if (!rw->json) {
				char hdr[200], body[600];
				snprintf(hdr, sizeof hdr, "X-CSRF-Token: %s\r\n", zeros);
				snprintf(body, sizeof body, "%s", rw->harm);
				struct jar tmp = ids[i].jar;
				struct http_resp r;
				assert_int_equal(http_do(port, &tmp, rw->method, real,
				                         "application/x-www-form-urlencoded", hdr,
				                         body, strlen(body), &r),
				                 0);
				if (r.status != 403)
					mismatch("%s %s as %s with a made-up header token: %d, "
					         "want 403",
					         rw->method, real, ids[i].name, r.status);
				http_free(&r);
				checks++;
			}
		}
	}
	/* None of the harmful bodies took effect: no account added, the target
	 * still enabled, every password as it was. */
	char err[256];
	db *d = db_open(dbpath, err, sizeof err);
	assert_non_null(d);
	db_stmt *s = db_prepare(d, "SELECT COUNT(*), SUM(disabled), "
	                           "SUM(CASE WHEN password_hash <> :h THEN 1 ELSE 0 END) "
	                           "FROM users");
	db_bind_text(s, "h", pwhash);
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), NROLES + 2);
	assert_int_equal(db_col_int(s, 1), 0);
	assert_int_equal(db_col_int(s, 2), 0);
	db_finalize(s);
	/* No script added, no version added, the published one unchanged. */
	s = db_prepare(d, "SELECT (SELECT COUNT(*) FROM scripts), COUNT(*), MIN(status) "
	                  "FROM script_versions");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 1);
	assert_int_equal(db_col_int(s, 1), 1);
	assert_string_equal(db_col_text(s, 2), "published");
	db_finalize(s);
	/* No collection added (the two of the setup). */
	s = db_prepare(d, "SELECT COUNT(*) FROM collections");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 2);
	db_finalize(s);
	/* No trajectory added, none changed or closed, no contact request. */
	s = db_prepare(d, "SELECT COUNT(*), SUM(CASE WHEN title = 'Gekaapt' THEN 1 ELSE 0 END), "
	                  "SUM(CASE WHEN status = 'closed' THEN 1 ELSE 0 END), "
	                  "(SELECT COUNT(*) FROM contact_requests) FROM trajectories");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 2);
	assert_int_equal(db_col_int(s, 1), 0);
	assert_int_equal(db_col_int(s, 2), 0);
	assert_int_equal(db_col_int(s, 3), 0);
	db_finalize(s);
	/* No initiative added or changed. */
	s = db_prepare(d, "SELECT (SELECT COUNT(*) FROM initiatives), (SELECT COUNT(*) FROM "
	                  "initiative_people), (SELECT COUNT(*) FROM initiative_status_history), "
	                  "(SELECT COUNT(*) FROM initiatives WHERE outcome <> '')");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 1);
	assert_int_equal(db_col_int(s, 1), 0);
	assert_int_equal(db_col_int(s, 2), 1);
	assert_int_equal(db_col_int(s, 3), 0);
	db_finalize(s);
	/* No conversation, person, note or appointment added. */
	s = db_prepare(d, "SELECT (SELECT COUNT(*) FROM conversations), (SELECT COUNT(*) FROM "
	                  "conversation_people), (SELECT COUNT(*) FROM conversation_notes), "
	                  "(SELECT COUNT(*) FROM appointments)");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 2);
	assert_int_equal(db_col_int(s, 1), 0);
	assert_int_equal(db_col_int(s, 2), 0);
	assert_int_equal(db_col_int(s, 3), 0);
	db_finalize(s);
	/* No dialogue session, registration, facilitator, turn or note added. */
	s = db_prepare(d, "SELECT (SELECT COUNT(*) FROM dialogue_sessions), (SELECT COUNT(*) FROM "
	                  "dialogue_registrations), (SELECT COUNT(*) FROM dialogue_facilitators), "
	                  "(SELECT COUNT(*) FROM dialogue_turns), (SELECT COUNT(*) FROM "
	                  "dialogue_notes)");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 1);
	for (int c = 1; c < 5; c++)
		assert_int_equal(db_col_int(s, c), 0);
	db_finalize(s);
	s = db_prepare(d, "SELECT (SELECT COUNT(*) FROM dialogue_agreement_versions) + (SELECT "
	                  "COUNT(*) FROM dialogue_agreement_status)");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 0);
	db_finalize(s);
	/* No method added, none changed. */
	s = db_prepare(d, "SELECT COUNT(*), SUM(CASE WHEN name_nl = 'Kwaad' THEN 1 ELSE 0 END), "
	                  "SUM(CASE WHEN updated_by IS NOT NULL THEN 1 ELSE 0 END) "
	                  "FROM methods");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), 6);
	assert_int_equal(db_col_int(s, 1), 0);
	assert_int_equal(db_col_int(s, 2), 0);
	db_finalize(s);
	db_close(d);
	print_message("  %d refused requests\n", checks);
	assert_int_equal(failures, 0);
}

/* Someone who logged in with a one-time password (an administrator here, so
 * that the role lets them in everywhere) reaches only the rows marked
 * OTP_OK; pages send them to /account/password, the API refuses them. The
 * administrator who made the one-time password knows it: until it is
 * replaced, the account must not be usable, through pages or the API. */
static void test_one_time_password(void **state)
{
	failures = 0;
	struct ident otp = {.name = "a beheerder with a one-time password"};
	login_as(&otp, "eenmalig", "10.9.3.1");
	for (size_t k = 0; k < table_count; k++) {
		const struct row *rw = &table[k];
		char real[256];
		fill_path(rw->real, real, sizeof real);
		struct http_resp r;
		send_as(&otp, rw, real, otp.token, rw->body, &r);
		const char *loc = http_header(&r, "Location");
		int to_pw = r.status == 303 && loc && strcmp(loc, "/account/password") == 0;
		if (rw->otp == OTP_OK) {
			if (r.status == 401 || r.status == 403 || goes_to_login(&r) || to_pw)
				mismatch("%s %s %s: %d, but the table lets them in", rw->method,
				         real, otp.name, r.status);
		} else if (is_api(real)) {
			if (r.status != 403)
				mismatch("%s %s %s: %d, want 403 (the API must not bypass the "
				         "password change)",
				         rw->method, real, otp.name, r.status);
		} else if (!to_pw) {
			mismatch("%s %s %s: %d to %s, want 303 to /account/password", rw->method,
			         real, otp.name, r.status, loc ? loc : "(none)");
		}
		http_free(&r);
		if (strcmp(rw->method, "GET") != 0 && !session_alive(&otp.jar))
			login_as(&otp, "eenmalig", "10.9.3.1"); /* after POST /logout */
	}
	/* Nothing changed: still a one-time password, nobody added. */
	char err[256];
	db *d = db_open(dbpath, err, sizeof err);
	assert_non_null(d);
	db_stmt *s = db_prepare(d, "SELECT COUNT(*), SUM(must_change_password) FROM users");
	assert_int_equal(db_step(s), DB_ROW);
	assert_int_equal(db_col_int(s, 0), NROLES + 2);
	assert_int_equal(db_col_int(s, 1), 1);
	db_finalize(s);
	db_close(d);
	assert_int_equal(failures, 0);
}

/* Sends POST /beheer/gebruikers/<target> as the administrator. */
static int change_target(const char *form)
{
	char path[64], body[300];
	snprintf(path, sizeof path, "/beheer/gebruikers/%lld", target_id);
	snprintf(body, sizeof body, "csrf_token=%s&%s", ids[0].token, form);
	struct jar tmp = ids[0].jar;
	struct http_resp r;
	assert_int_equal(http_post_form(port, &tmp, path, body, &r), 0);
	int st = r.status;
	http_free(&r);
	return st;
}

static int get_status(struct ident *who, const char *path)
{
	struct jar tmp = who->jar;
	struct http_resp r;
	assert_int_equal(http_get(port, &tmp, path, &r), 0);
	int st = r.status;
	http_free(&r);
	return st;
}

/* The role is read for every request: a change by the administrator holds
 * at once for a session that is already open, both ways; disabling ends it. */
static void test_role_change_applies_at_once(void **state)
{
	struct ident t = {.name = "doelwit"};
	login_as(&t, "doelwit", "10.9.4.1");
	assert_int_equal(get_status(&t, "/beheer/gebruikers"), 403);
	assert_int_equal(change_target("action=role&role=beheerder"), 200);
	assert_int_equal(get_status(&t, "/beheer/gebruikers"), 200);
	assert_int_equal(get_status(&t, "/api/v1/users"), 200);
	assert_int_equal(change_target("action=role&role=meelezer"), 200);
	assert_int_equal(get_status(&t, "/beheer/gebruikers"), 403);
	assert_int_equal(get_status(&t, "/api/v1/users"), 403);
	assert_int_equal(get_status(&t, "/account"), 200);
	assert_int_equal(change_target("action=disable"), 200);
	assert_int_equal(get_status(&t, "/account"), 303);
	assert_int_equal(get_status(&t, "/api/v1/me"), 401);
	assert_int_equal(change_target("action=enable"), 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_table_covers_routes),
	        cmocka_unit_test(test_table_agrees),
	        cmocka_unit_test(test_matrix),
	        cmocka_unit_test(test_csrf_on_posts),
	        cmocka_unit_test(test_one_time_password),
	        cmocka_unit_test(test_role_change_applies_at_once),
	};
	return cmocka_run_group_tests_name("access", tests, setup, teardown);
}
