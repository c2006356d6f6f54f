/* main.c: sub-command dispatch of the vertelpunt program. */
#include "cli/cli.h"
#include "cli/cmd_mail.h"
#include "core/buf.h"
#include "core/log.h"
#include "core/util.h"
#include "db/migrate.h"
#include "db/writer.h"
#include "http/server.h"
#include "model/audit.h"
#include "model/demo.h"
#include "model/totp.h"
#include "model/user.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	const char *help;
};

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);
static int cmd_init(int argc, char **argv);
static int cmd_migrate(int argc, char **argv);
static int cmd_serve(int argc, char **argv);
static int cmd_user(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_participant(int argc, char **argv);
int cmd_key(int argc, char **argv);
int cmd_backup(int, char **);
int cmd_restore(int, char **);
int cmd_script(int, char **);
int cmd_collection(int, char **);
int cmd_trajectory(int, char **);
int cmd_purge(int, char **);
int cmd_import(int, char **);
int cmd_analyse(int, char **);
int cmd_demo(int, char **);
int cmd_mail(int, char **);
int cmd_method(int, char **);
int cmd_migrate_data(int, char **);

static const struct command commands[] = {
        {"serve", cmd_serve, "serve the web application",
         "usage: vertelpunt serve [--db FILE] [--listen ADDRESS:PORT] [options]\n"
         "\n"
         "Serves Vertelpunt over HTTP. Applies pending migrations first. Stops\n"
         "gracefully on SIGTERM or SIGINT: requests in flight finish, the database\n"
         "is closed cleanly. Put it behind an HTTPS proxy in production.\n"
         "\n"
         "  --db FILE              database file (default " DEFAULT_DB ")\n"
         "  --key FILE             key file (default: next to the database)\n"
         "  --listen ADDR:PORT     address to listen on (default 127.0.0.1:8080;\n"
         "                         port 0 picks a free port, shown in the log)\n"
         "  --threads N            worker threads (default: number of cores)\n"
         "  --timeout SECONDS      idle connection timeout (default 30)\n"
         "  --max-connections N    connections in total (default 1000)\n"
         "  --max-per-ip N         connections per client address (default 200)\n"
         "  --max-body BYTES       largest request body (default 1048576)\n"
         "  --trust-proxy          take the client address from X-Forwarded-For\n"
         "  --hsts                 send Strict-Transport-Security (served over HTTPS)\n"
         "  --public-url URL       the address people open (https://vertelpunt.gemeente.nl):\n"
         "                         links in e-mail use it; reminders the server sends\n"
         "                         by itself carry a link only with it (default: the\n"
         "                         Host of each request)\n"
         "  --story-rate-ip N      stories a minute from one client address to a\n"
         "                         collection's link (default 60; 0: no limit)\n"
         "  --story-rate-collection N\n"
         "                         stories a minute to one collection (default 6000)\n"
         "  --analysis-min-group N analysis shows no figure for a group of fewer\n"
         "                         stories (default 10)\n"
         "\n"
         "E-mail (invitations, reminders, feedback; docs/mail.md). Messages wait in\n"
         "the outbox in the database and are sent every few seconds; a message the\n"
         "server cannot deliver is tried again later and marked failed after the\n"
         "last try (see /beheer/uitgaand and 'vertelpunt mail outbox'):\n" MAIL_CLI_HELP},
        {"init", cmd_init, "create the database, the organisation and an administrator",
         "usage: vertelpunt init [--db FILE] [--key FILE] [--org NAME] [--admin USERNAME]\n"
         "\n"
         "Creates the database (and its folder) if needed, applies the migrations,\n"
         "creates the organisation (default \"Gemeente Voorbeeld\") and an\n"
         "administrator (default username \"beheerder\") with a one-time password,\n"
         "printed once as JSON. Does nothing to a database that has accounts already.\n"
         "Creates the key file for personal data (default: next to the database,\n"
         "var/vertelpunt.key, mode 0600) when it is missing.\n"},
        {"migrate", cmd_migrate, "apply pending schema migrations",
         "usage: vertelpunt migrate [--db FILE]\n"
         "\n"
         "Applies every schema migration this program has and the database has not,\n"
         "each in its own transaction. Prints the applied names as JSON.\n"},
        {"user", cmd_user, "manage staff accounts",
         "usage: vertelpunt user [--db FILE] ACTION ...\n"
         "\n"
         "  add USERNAME --name NAME --role ROLE   add an account; prints its one-time password\n"
         "  list                                  all accounts as JSON\n"
         "  set-role USERNAME ROLE                change the role\n"
         "  disable USERNAME                      block logging in; ends its sessions\n"
         "  enable USERNAME                       allow logging in again\n"
         "  reset-password USERNAME               new one-time password; ends its sessions\n"
         "  require-2fa USERNAME on|off           require two-factor login (TOTP) or not;\n"
         "                                        'on' ends its sessions unless it has it\n"
         "  reset-2fa USERNAME                    remove its two-factor login (a lost phone);\n"
         "                                        ends its sessions\n"
         "  link-identity USERNAME --issuer URL --subject SUB\n"
         "                                        the account of this outside identity\n"
         "                                        (OpenID Connect; docs/oidc.md)\n"
         "  unlink-identity USERNAME --issuer URL --subject SUB\n"
         "\n"
         "Roles: beheerder (administrator), onderzoeker (analyst), gespreksvoerder\n"
         "(conversation lead, Wmo consultant), procesbegeleider (facilitator),\n"
         "meelezer (read-only).\n"},
        {"participant", cmd_participant, "residents and clients, with sealed contact data",
         "usage: vertelpunt participant [--db FILE] [--key FILE] ACTION ...\n"
         "\n"
         "  add [--name N] [--address A] [--phone P] [--email E]\n"
         "        a new participant; prints its pseudonymous code (VP-XXXX-XXXX)\n"
         "  find CODE|E-MAIL|PHONE|NAME\n"
         "        the matching participants with their contact data, as JSON\n"
         "  export CODE [--format json|html] [--lang nl|en]\n"
         "        everything about one person: contact data, consents, and who\n"
         "        has seen or changed it (for a request under the AVG/GDPR)\n"
         "  correct CODE [--name N] [--address A] [--phone P] [--email E]\n"
         "        correct contact data; a field given as \"\" is removed\n"
         "  consent CODE --purpose P --version V --text-file FILE [--channel C]\n"
         "        record consent with the exact text that was shown\n"
         "  withdraw CODE CONSENT_ID [--channel C]\n"
         "        record that consent was withdrawn\n"
         "  erase CODE --yes\n"
         "        erase the person and their contact data and consents\n"
         "\n"
         "Channels: web, kiosk, face-to-face, phone, paper, cli (default).\n"
         "Contact data is sealed (XChaCha20-Poly1305) with the key in the key file,\n"
         "by default next to the database (var/vertelpunt.key). Lookups by e-mail,\n"
         "phone or name use keyed hashes: nothing is stored in clear. Every read and\n"
         "change is written to the access log first ('vertelpunt audit').\n"},
        {"key", cmd_key, "rotate the encryption key",
         "usage: vertelpunt key rotate [--db FILE] [--key FILE]\n"
         "\n"
         "Adds a new key to the key file, re-seals every sealed value with it in one\n"
         "transaction, checks the access log and its seals with every key and seals\n"
         "its head with the new key, then removes the old key. When the access log\n"
         "does not verify it stops before that, so the old key stays to check it.\n"
         "Interrupted, it can be run again: until the end, the file holds both keys.\n"
         "Stop the server first, or restart it afterwards: a running server keeps the\n"
         "keys it read at start.\n"},
        {"audit", cmd_audit, "check and read the access log",
         "usage: vertelpunt audit [--db FILE] [--key FILE] ACTION ...\n"
         "\n"
         "  verify                                recompute the hash chain of the access log\n"
         "                                        and check its seals with the key file\n"
         "  seal                                  seal the log's newest entry with the key\n"
         "  list [--subject CODE] [--limit N]     entries as JSON, newest first (default 100);\n"
         "                                        --subject: only those about one participant\n"
         "\n"
         "The access log records who viewed, exported or changed which personal record,\n"
         "when and from where, and every login attempt. It is append-only; each entry\n"
         "holds the hash of the one before, so verify finds a changed or removed entry:\n"
         "it prints {\"ok\":true,\"rows\":N,...}, or exits 1 with the first bad entry's id.\n"
         "Anyone who can write the database could recompute every hash, so the head of\n"
         "the chain is also sealed with a key from the key file (HMAC-SHA-256): by the\n"
         "server every few minutes, by 'audit seal', and by 'key rotate'. verify then\n"
         "finds a rewritten log at the first sealed entry that changed. Entries after\n"
         "the newest seal are protected by the chain only. Without the key file verify\n"
         "checks the chain and says \"seals: not checked (no key file)\".\n"},
        {"script", cmd_script, "interview scripts: import, export, check, publish",
         "usage: vertelpunt script [--db FILE] ACTION ...\n"
         "\n"
         "  list                          every script with its versions, as JSON\n"
         "  import [--replace-draft] FILE a script in our JSON format (docs/formats.md):\n"
         "                                a new script, or a new draft version of the\n"
         "                                script with the same key\n"
         "  import-sensemaker [--layout LAYOUT.json] DEFINITION.json\n"
         "                                a SenseMaker framework definition as a draft;\n"
         "                                the layout places pages and labels; prints\n"
         "                                what was not imported and why\n"
         "  export ID [--version N]       the script as JSON (default: latest version)\n"
         "  paper ID [--version N] [--lang nl|en]\n"
         "                                the printable paper form (HTML, A4) on stdout\n"
         "  lint FILE                     check a script file; exit 1 on errors\n"
         "  edit ID [--version N]         a new draft from a version\n"
         "  status ID VERSION STATUS      pilot, published, retired, or deleted (drafts)\n"
         "  templates                     the script library\n"
         "  add-template NAME             a script from the library, as a draft\n"
         "\n"
         "Versions go draft -> pilot -> published -> retired (or draft -> published).\n"
         "Only a draft changes; pilot and published versions are fixed, so every\n"
         "story stays readable with the exact questions it answered. A file with an\n"
         "error is refused whole, with the place of the error; nothing is imported.\n"},
        {"collection", cmd_collection, "collections: a script version published for a purpose",
         "usage: vertelpunt collection [--db FILE] ACTION ...\n"
         "\n"
         "  add --script ID [--version N] --title TITLE --purpose PURPOSE\n"
         "      [--from YYYY-MM-DD] [--until YYYY-MM-DD] [--retention DAYS]\n"
         "      [--trajectory ID]\n"
         "        a collection of the version (default: the newest in pilot or\n"
         "        published); prints its public link /v/TOKEN and its short code\n"
         "  list                 every collection with its number of stories, as JSON\n"
         "  close ID             take no more stories; the stories stay\n"
         "\n"
         "Stories are sent to POST /api/v1/collections/TOKEN/stories\n"
         "(docs/formats.md, \"Stories\"). --retention is how long its stories are\n"
         "kept (default 730 days).\n"},
        {"trajectory", cmd_trajectory,
         "trajectories: participation processes and who works on them",
         "usage: vertelpunt trajectory [--db FILE] ACTION ...\n"
         "\n"
         "  add --title SUBJECT [--question Q] [--scope S] [--ladder RUNG]\n"
         "      [--target-group G] [--rationale R] [--contact C] [--from YYYY-MM-DD]\n"
         "      [--until YYYY-MM-DD] [--retention DAYS] [--publish]\n"
         "      [--picture FILE.png|.jpg --picture-alt TEXT]\n"
         "        a new trajectory (with its sketch, plan or map, described);\n"
         "        prints its id and public page /meedoen/SLUG\n"
         "  list                 every trajectory, as JSON\n"
         "  show ID              one trajectory with its staff and collections\n"
         "  assign ID USERNAME [--responsible]\n"
         "                       put a staff member on it (they then see it)\n"
         "  unassign ID USERNAME take them off (not the last responsible official)\n"
         "  demo ID USERNAME [--key FILE]\n"
         "                       made-up group conversations in it, with USERNAME as\n"
         "                       official: a dialogue session two weeks ahead with 22\n"
         "                       registrations (2 waiting) placed at tables, a mirror\n"
         "                       conversation next week with its panel, an initiative\n"
         "                       working together; all or nothing\n"
         "\n"
         "RUNG is a rung of the participation ladder: informeren, raadplegen\n"
         "(the default), adviseren, coproduceren, meebeslissen, zelfbeheer.\n"
         "Invitations wait until --scope (what may be discussed and what happens\n"
         "with the input), --rationale (why these people or this area) and\n"
         "--contact (how others can get in touch) are filled in. Staff see only\n"
         "the trajectories they are on; administrators see all (docs/privacy.md).\n"
         "A collection joins a trajectory with `collection add --trajectory ID`.\n"},
        {"import", cmd_import, "import stories: our CSV format, or a SenseMaker export",
         "usage: vertelpunt import [--db FILE] stories --collection ID|TOKEN\n"
         "                         [--skip-invalid] FILE.csv\n"
         "       vertelpunt import [--db FILE] sensemaker --definition D.json --data F.csv\n"
         "                         [--layout L.json] [--skip-invalid]\n"
         "\n"
         "stories: the rows of FILE.csv (docs/formats.md, \"Stories as CSV\") into the\n"
         "collection, checked like stories from the web, with the staff channels\n"
         "and the professional's answers allowed. The whole file is checked first:\n"
         "one bad row refuses it, naming the row (the header is row 1) and the\n"
         "column, and nothing is imported. A story stored already with the same\n"
         "content is counted as \"already\"; with other content the file is refused.\n"
         "Prints {\"imported\": N, \"already\": M}.\n"
         "\n"
         "sensemaker: the framework definition becomes a script (as `script\n"
         "import-sensemaker`), which is published (it must lint without errors),\n"
         "a collection \"Ge\xc3\xafmporteerd uit SenseMaker\" is made for it, and every story of\n"
         "the data export is imported into it; one participant per responder_id\n"
         "links the stories of the same person. Importing the same export again\n"
         "adds to the same collection and stores each story once. Prints the\n"
         "script, the collection, the counts and a report of what was skipped.\n"
         "\n"
         "--skip-invalid: a bad row does not refuse the file; every valid row is\n"
         "imported and the output adds \"skipped\" (a count) and \"skipped_rows\":\n"
         "per row left out its row, line, column, question, reason and detail.\n"},
        {"purge", cmd_purge, "remove what has passed its retention period",
         "usage: vertelpunt purge [--db FILE] [--no-vacuum]\n"
         "\n"
         "Removes stories older than the retention period of their collection,\n"
         "unfinished stories past their expiry, and uploaded images older than 30\n"
         "days that no script uses (row and file). Writes one access-log entry per\n"
         "collection and kind with the counts. Then writes the write-ahead log into\n"
         "the database and truncates it, and rebuilds the file (VACUUM) so removed\n"
         "data leaves no free pages behind (--no-vacuum skips that; a running\n"
         "server can stay up, but VACUUM holds the database for a moment). The\n"
         "server does the same every day, without VACUUM. Prints the counts as JSON.\n"},
        {"demo", cmd_demo, "a demo Wmo vertelpunt with stories and planted patterns",
         "usage: vertelpunt demo [--db FILE] [--key FILE] --stories N [--seed S] [--null]\n"
         "\n"
         "Fills a database with a realistic demo: the script \"" DEMO_SCRIPT_KEY "\"\n"
         "(published), a collection \"" DEMO_COLLECTION_TITLE "\", participants\n"
         "(a code, no contact data) and N stories (1 to 10000000) told in 2024 and\n"
         "2025, with effects planted for the pattern engine to find (docs/analysis.md,\n"
         "\"Demo data\"). A fresh database is initialised first, as by 'vertelpunt\n"
         "init' (the administrator's one-time password is printed); an initialised\n"
         "one gets the demo added. The same seed (default 1) gives the same stories.\n"
         "\n"
         "  --stories N    how many stories\n"
         "  --seed S       the seed of the generator (a whole number, default 1)\n"
         "  --null         no planted effects: every answer is drawn on its own\n"
         "  --planted-topics FILE  writes each story's planted topic to FILE as CSV\n"
         "                 (story uuid, topic), for tests of themes\n"
         "  --rising-topic NAME  plants topic NAME (vervoer, schoonmaak, contact,\n"
         "                 overbelasting, wachttijd, woning, eigen-bijdrage) more in\n"
         "                 the last quarter, 2025-Q4: a theme that is rising\n"
         "\n"
         "Prints {\"collection\", \"script\", \"script_version\", \"token\", \"stories\",\n"
         "\"participants\", \"seed\", \"null\", \"seconds\"} (with \"admin\" when it\n"
         "initialised the database).\n"},
        {"analyse", cmd_analyse, "the pattern engine: counts, distributions, comparisons, patterns",
         "usage: vertelpunt analyse [--db FILE] collections | trajectories\n"
         "       vertelpunt analyse [--db FILE] --collection ID MEASURE [ARGS] [OPTIONS]\n"
         "       vertelpunt analyse [--db FILE] --trajectory ID MEASURE [ARGS] [OPTIONS]\n"
         "\n"
         "collections: every collection with its id, story count and questions.\n"
         "trajectories: every trajectory with its collections, story count and\n"
         "questions. --trajectory analyses all stories of a trajectory's collections\n"
         "at once (questions matched by id; filter on one with collection = ID), as\n"
         "/api/v1/trajectories/ID/analysis/... does.\n"
         "MEASURE, each printing the JSON document that the API gives at\n"
         "/api/v1/collections/ID/analysis/... (docs/analysis.md):\n"
         "  count                 stories per channel and quarter\n"
         "  distribution Q        counts with 95% intervals; for dyads and scales a\n"
         "                        histogram, mean, median and quartiles\n"
         "  crosstab Q1 Q2        counts, chi-square, standardised residuals, Cramer's V\n"
         "  triad Q               geometric mean, ILR mean, 95% region, zones, bins\n"
         "  points Q              pin and stones: mean, spread and a 10 x 10 grid of\n"
         "                        counts (per stone for stones)\n"
         "  compare --a F --b F   every question between two groups: test, effect\n"
         "                        size, p and Benjamini-Hochberg q, largest first\n"
         "  over-time Q           people with stories at two moments: paired test\n"
         "  perspectives Q [Q2]   teller against professional on the same stories\n"
         "  patterns --outcome Q  every subgroup of one or two conditions against the\n"
         "                        rest, ranked; --themes: compute the themes first,\n"
         "                        so each theme is a condition (theme = N) too\n"
         "  keyness [--against F2] the words and phrases the stories of --filter use\n"
         "                        more than the rest (or than F2): G2, log ratio\n"
         "  themes [--k N | --k-min A --k-max B] [--seed S]  the themes the stories\n"
         "                        talk about (docs/analysis.md, \"Themes\"); progress\n"
         "                        on stderr\n"
         "  themes --rising [--a P --b P]  also each theme's share in period a and\n"
         "                        the later period b (default: the last two quarters),\n"
         "                        the difference with its interval, the largest rise\n"
         "                        first (field \"rising\")\n"
         "Q may be theme: the themes of all stories as a choice question (distribution,\n"
         "crosstab, and compare Q: each theme's share in --a and --b); --themes\n"
         "computes them first (the command line keeps no themes between runs).\n"
         "OPTIONS: --filter F (docs/analysis.md, \"Filters\"), --min-group N (no figure\n"
         "for a group under N stories; default 10), --bins N, --limit N,\n"
         "--permutations N.\n"},
        {"backup", cmd_backup, "write an encrypted copy of the database, online",
         "usage: vertelpunt backup [--db FILE] [--key FILE] --out FILE [--force] [--check]\n"
         "\n"
         "Copies the database while the server keeps running (SQLite online backup:\n"
         "the state of one moment), encrypts the copy with a key derived from the\n"
         "current key of the key file (XChaCha20-Poly1305, libsodium secretstream)\n"
         "and writes it to FILE, mode 0600. Nothing in it is readable without the\n"
         "key. Prints file, size, key id, schema version and SHA-256 as JSON.\n"
         "\n"
         "  --db FILE      database file (default " DEFAULT_DB ")\n"
         "  --key FILE     key file (default: next to the database)\n"
         "  --out FILE     the backup to write; an existing FILE is kept unless --force\n"
         "  --force        replace an existing FILE\n"
         "  --check        afterwards, check FILE as 'vertelpunt restore --check' does\n"
         "\n"
         "A restore needs the key file holding the key the backup was made with. Keep\n"
         "the key file apart from the backups; after 'vertelpunt key rotate', keep the\n"
         "old key file as long as the backups made with it. See docs/backup.md.\n"},
        {"restore", cmd_restore, "check a backup, or restore it to a database file",
         "usage: vertelpunt restore [--key FILE] --from BACKUP --to DBFILE [--force]\n"
         "       vertelpunt restore [--key FILE] --check --from BACKUP\n"
         "\n"
         "Decrypts BACKUP, checks every part of it, its length and hash, then the\n"
         "database inside (integrity check, schema version), and only then moves it\n"
         "into place as DBFILE, mode 0600, in one step. When a check fails, nothing\n"
         "is written at DBFILE. Prints what was restored as JSON.\n"
         "\n"
         "  --key FILE     key file (default: next to DBFILE, or var/vertelpunt.key)\n"
         "  --from BACKUP  a file written by 'vertelpunt backup'\n"
         "  --to DBFILE    the database file to create\n"
         "  --force        replace an existing DBFILE (stop the server first); the old\n"
         "                 file is kept as DBFILE.before-restore-TIME\n"
         "  --check        only check BACKUP (decrypted to a temporary file in $TMPDIR)\n"},
        {"method", cmd_method, "the catalogue of methods (werkvormen) as JSON",
         "usage: vertelpunt method [--db FILE] ACTION ...\n"
         "\n"
         "  list                 every method of the catalogue, as a JSON array\n"
         "  show ID|SLUG         one method, by its id or its slug (for example\n"
         "                       keukentafelgesprek), as JSON\n"
         "\n"
         "A method (werkvorm) is a way to talk with residents: its goal, target group,\n"
         "number of participants, degree of interaction, rung on the participation\n"
         "ladder (informeren, raadplegen, adviseren, coproduceren, meebeslissen,\n"
         "zelfbeheer), step plan and tips, each in Dutch and English (\"\" where the\n"
         "English is not written yet; \"missing_en\" names those fields). Six come\n"
         "with Vertelpunt: keukentafelgesprek, wmo-keukentafelgesprek, spiegelgesprek,\n"
         "dialoogtafel, burgerinitiatief and vertelpunt. Administrators edit and add\n"
         "methods on the web pages (/werkvormen); docs/methods.md describes the fields.\n"},
        {"mail", cmd_mail, "e-mail: the outbox, a test message, one round of sending",
         "usage: vertelpunt mail [--db FILE] [--key FILE] ACTION ...\n"
         "\n"
         "  test --to ADDRESS [MAIL OPTIONS]\n"
         "        send one test message now with these settings; prints the server's\n"
         "        answer when it is refused\n"
         "  outbox [--status queued|sending|sent|failed] [--limit N]\n"
         "        the messages of the outbox as JSON, newest first: purpose, status,\n"
         "        tries, next try, last error, what it belongs to (no address, no text)\n"
         "  retry ID\n"
         "        put a failed message back in the queue, to be sent at once\n"
         "  send-due [MAIL OPTIONS] [--limit N]\n"
         "        one round of the sender: every message that is due (for cron, when\n"
         "        no server runs, and for tests); prints the counts\n"
         "  queue --to ADDRESS --subject TEXT --body-file FILE [--to-name NAME]\n"
         "        [--purpose P] [--dedup-key KEY] [--ref KIND:ID] [--not-before TIME]\n"
         "        [--event-uid UID --event-start TIME --event-end TIME --organizer ADDRESS\n"
         "         [--event-sequence N] [--event-location L] [--event-url URL]\n"
         "         [--event-cancel]]\n"
         "        queue a message (with a calendar invitation when --event-uid is\n"
         "        given); a dedup key that was queued before is refused. TIME is\n"
         "        YYYY-MM-DDTHH:MM:SSZ\n"
         "\n"
         "MAIL OPTIONS (the same as for 'vertelpunt serve'):\n" MAIL_CLI_HELP "\n"
         "A message that the mail server refuses for now (4xx, no connection) is tried\n"
         "again after 1, 5, 15 and 60 minutes, then 3, 6 and 12 hours, and marked failed\n"
         "after --mail-max-attempts tries; a permanent refusal (5xx) marks it failed at\n"
         "once. Nothing is dropped: a failed message stays in the outbox until it is\n"
         "tried again. Recipients and texts are sealed with the key file.\n"},
        {"migrate-data", cmd_migrate_data, "move a SQLite installation to PostgreSQL, verified",
         "usage: vertelpunt migrate-data --from FILE.db --to postgres://USER@HOST:PORT/NAME\n"
         "       vertelpunt migrate-data --from FILE.db --to postgres://... --verify-only\n"
         "\n"
         "Copies every table of the SQLite database FILE.db into the PostgreSQL\n"
         "database, in one transaction: first the target gets this program's schema\n"
         "(the same numbered migrations), then the tables follow in the order of\n"
         "their foreign keys, with their ids, NULLs and bytes as they are; the ids\n"
         "PostgreSQL hands out next come after the highest copied ones, and the\n"
         "full-text search data is made anew. Before committing, every table is read\n"
         "back and compared: its rows and a checksum over the values of every row,\n"
         "computed the same way on both sides. Prints table / rows / checksum / ok.\n"
         "When anything fails or differs, nothing is kept on the target. Progress of\n"
         "large tables goes to stderr. FILE.db is only read; stop its server first.\n"
         "\n"
         "  --from FILE.db   the SQLite database; it must be at this program's schema\n"
         "                   version (run 'vertelpunt migrate --db FILE.db' first)\n"
         "  --to URL         the PostgreSQL database; it must hold no data yet\n"
         "  --verify-only    copy nothing: compare FILE.db with the target again\n"
         "\n"
         "Exit status: 0 copied (or verified) and every table matches; 1 an error\n"
         "(said on stderr; nothing kept); 2 the target holds data already; 3 a table\n"
         "differs. Afterwards serve with the same key file as before:\n"
         "  vertelpunt serve --db postgres://... --key var/vertelpunt.key\n"
         "Uploaded images are files, not rows: copy the folder 'uploads' next to\n"
         "FILE.db to var/uploads in the server's working folder.\n"
         "See docs/deploy.md, \"Moving from SQLite to PostgreSQL\".\n"},
        {"version", cmd_version, "print the version",
         "usage: vertelpunt version\n\nPrints version, source revision and schema version as "
         "JSON.\n"},
        {"help", cmd_help, "explain a command", "usage: vertelpunt help [COMMAND]\n"},
};
enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

static int cmd_help(int argc, char **argv)
{
	if (argc >= 2) {
		for (int i = 0; i < NCOMMANDS; i++)
			if (strcmp(commands[i].name, argv[1]) == 0) {
				fputs(commands[i].help, stdout);
				return 0;
			}
		return cli_fail("help", "no command '%s'; 'vertelpunt help' lists them", argv[1]);
	}
	printf("Vertelpunt %s: listening to residents, and closing the loop.\n\n"
	       "usage: vertelpunt COMMAND [--db FILE] [options]\n\ncommands:\n",
	       VP_VERSION);
	for (int i = 0; i < NCOMMANDS; i++)
		printf("  %-10s %s\n", commands[i].name, commands[i].summary);
	printf("\n'vertelpunt help COMMAND' explains one.\n");
	return 0;
}

static int cmd_version(int argc, char **argv)
{
	printf("{\"version\":\"%s\",\"revision\":\"%s\",\"schema\":%d,\"sqlite\":\"%s\"}\n",
	       VP_VERSION, VP_GITREV, migrate_latest(), "3");
	return 0;
}

static int cmd_migrate(int argc, char **argv)
{
	const char *url = cli_opt_db(&argc, argv);
	if (argc > 1)
		return cli_fail("migrate", "unexpected argument '%s'", argv[1]);
	if (cli_ensure_parent_dir(url))
		return cli_fail("migrate", "cannot create the folder of %s: %s", url,
		                strerror(errno));
	char err[512];
	db *d = db_open(url, err, sizeof err);
	if (!d)
		return cli_fail("migrate", "%s", err);
	buf out;
	buf_init(&out);
	buf_puts(&out, "{\"applied\":");
	int rc = migrate_apply(d, &out, err, sizeof err);
	if (rc) {
		buf_free(&out);
		db_close(d);
		return cli_fail("migrate", "%s", err);
	}
	buf_printf(&out, ",\"schema\":%d}", migrate_current(d));
	db_close(d);
	cli_print(&out);
	return 0;
}

/* ---- writes from the command line go through the same writer ----------- */

struct cli_user {
	const char *org_name;
	int64_t org_id;
	const char *username;
	const char *display_name;
	unsigned role;
	char password[25];
	char hash[PWHASH_MAX];
	int64_t id;
	enum {
		CU_ADD,
		CU_INIT,
		CU_ROLE,
		CU_DISABLE,
		CU_ENABLE,
		CU_RESET,
		CU_2FA_ON,
		CU_2FA_OFF,
		CU_2FA_RESET
	} action;
	int already;
};

static int cli_user_change(db *d, void *ctx)
{
	struct cli_user *c = ctx;
	struct user u;
	switch (c->action) {
	case CU_INIT:
		if (user_count(d) > 0) {
			c->already = 1;
			return 0;
		}
		if (org_ensure(d, c->org_name, &c->org_id) != DB_OK)
			return DB_ERROR;
		/* fall through */
	case CU_ADD:
		if (c->action == CU_ADD) {
			db_stmt *s =
			        db_prepare(d, "SELECT id FROM organisations ORDER BY id LIMIT 1");
			int rc = db_step(s);
			c->org_id = rc == DB_ROW ? db_col_int(s, 0) : 0;
			db_finalize(s);
			if (!c->org_id)
				return DB_DONE;
		}
		return user_insert(d, c->org_id, c->username, c->display_name, c->role, c->hash, 1,
		                   &c->id);
	default: break;
	}
	if (user_by_name(d, c->username, &u, NULL) != DB_ROW)
		return DB_DONE;
	c->id = u.id;
	switch (c->action) {
	case CU_ROLE: return user_set_role(d, u.id, c->role);
	case CU_DISABLE: return user_set_disabled(d, u.id, 1);
	case CU_ENABLE: return user_set_disabled(d, u.id, 0);
	case CU_RESET: return user_set_password(d, u.id, c->hash, 1);
	case CU_2FA_ON: return totp_set_required(d, u.id, 1);
	case CU_2FA_OFF: return totp_set_required(d, u.id, 0);
	case CU_2FA_RESET: return totp_reset(d, u.id);
	default: return DB_ERROR;
	}
}

/* The change and its access-log entry commit together or not at all. */
static int cli_user_fn(db *d, void *ctx)
{
	struct cli_user *c = ctx;
	int rc = cli_user_change(d, ctx);
	if (rc || c->already)
		return rc;
	static const char *const what[] = {[CU_DISABLE] = "disabled",
	                                   [CU_ENABLE] = "enabled",
	                                   [CU_RESET] = "password reset",
	                                   [CU_2FA_ON] = "two-factor required",
	                                   [CU_2FA_OFF] = "two-factor not required",
	                                   [CU_2FA_RESET] = "two-factor reset"};
	char actor[AUDIT_ACTOR_MAX + 1], detail[48];
	audit_cli_actor(actor, sizeof actor);
	snprintf(detail, sizeof detail, "role=%s", role_name(c->role) ? role_name(c->role) : "");
	int created = c->action == CU_ADD || c->action == CU_INIT;
	struct audit_entry e = {.actor = actor,
	                        .action = created ? "create" : "update",
	                        .object_type = "user",
	                        .object_id = c->username,
	                        .origin = "cli",
	                        .detail =
	                                created || c->action == CU_ROLE ? detail : what[c->action]};
	return audit_append(d, &e);
}

static int run_write(const char *cmd, const char *url, struct cli_user *c)
{
	char err[512];
	db *d = cli_open_migrated(cmd, url);
	if (!d)
		return -1000;
	db_close(d);
	writer *w = writer_start(url, err, sizeof err);
	if (!w) {
		cli_fail(cmd, "%s", err);
		return -1000;
	}
	int rc = writer_run(w, cli_user_fn, c);
	writer_stop(w);
	return rc;
}

static void print_user_json(struct cli_user *c, int with_password)
{
	buf b;
	buf_init(&b);
	buf_printf(&b, "{\"id\":%lld,\"username\":", (long long)c->id);
	buf_json_str(&b, c->username);
	if (c->display_name) {
		buf_puts(&b, ",\"name\":");
		buf_json_str(&b, c->display_name);
	}
	if (c->role) {
		buf_puts(&b, ",\"role\":");
		buf_json_str(&b, role_name(c->role));
	}
	if (with_password) {
		buf_puts(&b, ",\"one_time_password\":");
		buf_json_str(&b, c->password);
	}
	buf_putc(&b, '}');
	cli_print(&b);
}

/* What `vertelpunt init` does once its options are checked: the folder,
 * the key file, the migrations, the organisation and the administrator
 * with a new one-time password (in c->password); c->already when the
 * database had accounts. 0, or 1 after printing why as cmd. */
static int init_database(const char *cmd, const char *url, const char *key, struct cli_user *c)
{
	if (cli_ensure_parent_dir(url))
		return cli_fail(cmd, "cannot create the folder of %s: %s", url, strerror(errno));
	user_generate_password(c->password);
	if (user_hash_password(c->password, c->hash))
		return cli_fail(cmd, "out of memory while hashing the password");
	if (!key)
		return cli_fail(cmd, "a database URL needs --key FILE");
	char kerr[512];
	if (access(key, F_OK) != 0 && vault_create_file(key, kerr, sizeof kerr))
		return cli_fail(cmd, "%s", kerr);
	vault *v = cli_load_vault(cmd, key);
	if (!v)
		return 1;
	vault_free(v);
	int rc = run_write(cmd, url, c);
	if (rc == -1000)
		return 1;
	if (rc)
		return cli_fail(cmd, "could not write to %s (%d)", url, rc);
	return 0;
}

/* `vertelpunt demo` on a fresh database (src/cli/cmd_demo.c): initialised
 * as `vertelpunt init` with its defaults. *already: it had accounts
 * (nothing done); else password gets the administrator's one-time
 * password (25 bytes). 0, or 1 after printing why. */
int cli_init_default(const char *cmd, const char *url, const char *key, char *password,
                     int *already)
{
	struct cli_user c = {.org_name = "Gemeente Voorbeeld",
	                     .username = "beheerder",
	                     .display_name = "Beheerder",
	                     .role = ROLE_BEHEERDER,
	                     .action = CU_INIT};
	if (init_database(cmd, url, key, &c))
		return 1;
	*already = c.already;
	memcpy(password, c.password, sizeof c.password);
	sodium_memzero(c.password, sizeof c.password);
	return 0;
}

static int cmd_init(int argc, char **argv)
{
	const char *url = cli_opt_db(&argc, argv);
	const char *key = cli_opt_key(&argc, argv, url);
	struct cli_user c = {.org_name = "Gemeente Voorbeeld",
	                     .username = "beheerder",
	                     .display_name = "Beheerder",
	                     .role = ROLE_BEHEERDER,
	                     .action = CU_INIT};
	static const struct option opts[] = {
	        {"org", required_argument, 0, 'o'}, {"admin", required_argument, 0, 'a'}, {0}};
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'o')
			c.org_name = optarg;
		else if (ch == 'a')
			c.username = optarg;
		else
			return cli_fail("init", "see 'vertelpunt help init'");
	}
	if (optind < argc)
		return cli_fail("init", "unexpected argument '%s'", argv[optind]);
	if (!*c.org_name || strlen(c.org_name) > 200)
		return cli_fail("init", "--org needs a name of 1 to 200 characters");
	const char *bad = user_check_username(c.username);
	if (bad)
		return cli_fail("init", "--admin: %s", bad);
	if (init_database("init", url, key, &c))
		return 1;
	if (c.already) {
		printf("{\"initialised\":false,\"reason\":\"the database has accounts already\","
		       "\"db\":");
		buf b;
		buf_init(&b);
		buf_json_str(&b, url);
		fwrite(b.data, 1, b.len, stdout);
		buf_free(&b);
		printf("}\n");
		return 0;
	}
	buf b;
	buf_init(&b);
	buf_puts(&b, "{\"initialised\":true,\"db\":");
	buf_json_str(&b, url);
	buf_puts(&b, ",\"organisation\":");
	buf_json_str(&b, c.org_name);
	buf_puts(&b, ",\"admin\":{\"username\":");
	buf_json_str(&b, c.username);
	buf_puts(&b, ",\"one_time_password\":");
	buf_json_str(&b, c.password);
	buf_puts(&b, "}}");
	cli_print(&b);
	return 0;
}

static int cmd_user(int argc, char **argv)
{
	const char *url = cli_opt_db(&argc, argv);
	if (argc < 2)
		return cli_fail("user", "which action? see 'vertelpunt help user'");
	const char *action = argv[1];
	struct cli_user c = {0};
	if (strcmp(action, "list") == 0) {
		if (argc != 2)
			return cli_fail("user", "list takes no arguments");
		db *d = cli_open_migrated("user", url);
		if (!d)
			return 1;
		buf b;
		buf_init(&b);
		int rc = user_list_json(d, &b);
		db_close(d);
		if (rc != DB_OK) {
			buf_free(&b);
			return cli_fail("user", "cannot read the accounts");
		}
		cli_print(&b);
		return 0;
	}
	if (strcmp(action, "link-identity") == 0 || strcmp(action, "unlink-identity") == 0)
		return cli_user_identity(url, argc, argv, action[0] == 'u');
	if (argc < 3)
		return cli_fail("user", "%s needs a USERNAME", action);
	c.username = argv[2];
	int with_password = 0;
	if (strcmp(action, "add") == 0) {
		c.action = CU_ADD;
		static const struct option opts[] = {{"name", required_argument, 0, 'n'},
		                                     {"role", required_argument, 0, 'r'},
		                                     {0}};
		int ch;
		optind = 3;
		while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
			if (ch == 'n')
				c.display_name = optarg;
			else if (ch == 'r')
				c.role = role_parse(optarg);
			else
				return cli_fail("user", "see 'vertelpunt help user'");
		}
		if (optind < argc)
			return cli_fail("user", "unexpected argument '%s'", argv[optind]);
		if (!c.display_name)
			return cli_fail("user", "add needs --name NAME");
		if (!c.role)
			return cli_fail("user",
			                "add needs --role with one of: beheerder, onderzoeker, "
			                "gespreksvoerder, procesbegeleider, meelezer");
		const char *bad = user_check_username(c.username);
		if (!bad)
			bad = user_check_display_name(c.display_name);
		if (bad)
			return cli_fail("user", "%s", bad);
		with_password = 1;
	} else if (strcmp(action, "set-role") == 0) {
		if (argc != 4)
			return cli_fail("user", "usage: vertelpunt user set-role USERNAME ROLE");
		c.action = CU_ROLE;
		c.role = role_parse(argv[3]);
		if (!c.role)
			return cli_fail("user", "unknown role '%s'", argv[3]);
	} else if (strcmp(action, "disable") == 0 || strcmp(action, "enable") == 0) {
		if (argc != 3)
			return cli_fail("user", "usage: vertelpunt user %s USERNAME", action);
		c.action = action[0] == 'd' ? CU_DISABLE : CU_ENABLE;
	} else if (strcmp(action, "require-2fa") == 0) {
		if (argc != 4 || (strcmp(argv[3], "on") != 0 && strcmp(argv[3], "off") != 0))
			return cli_fail("user",
			                "usage: vertelpunt user require-2fa USERNAME on|off");
		c.action = strcmp(argv[3], "on") == 0 ? CU_2FA_ON : CU_2FA_OFF;
	} else if (strcmp(action, "reset-2fa") == 0) {
		if (argc != 3)
			return cli_fail("user", "usage: vertelpunt user reset-2fa USERNAME");
		c.action = CU_2FA_RESET;
	} else if (strcmp(action, "reset-password") == 0) {
		if (argc != 3)
			return cli_fail("user", "usage: vertelpunt user reset-password USERNAME");
		c.action = CU_RESET;
		with_password = 1;
	} else {
		return cli_fail("user", "unknown action '%s'; see 'vertelpunt help user'", action);
	}
	if (with_password) {
		user_generate_password(c.password);
		if (user_hash_password(c.password, c.hash))
			return cli_fail("user", "out of memory while hashing the password");
	}
	int rc = run_write("user", url, &c);
	if (rc == -1000)
		return 1;
	if (rc == DB_CONSTRAINT)
		return cli_fail("user", "the username '%s' is taken", c.username);
	if (rc == DB_DONE)
		return cli_fail("user",
		                c.action == CU_ADD ? "run 'vertelpunt init' first"
		                                   : "no account '%s'",
		                c.username);
	if (rc)
		return cli_fail("user", "could not write to %s (%d)", url, rc);
	print_user_json(&c, with_password);
	return 0;
}

static int cmd_serve(int argc, char **argv)
{
	struct app_config cfg;
	app_config_defaults(&cfg);
	cfg.db_url = cli_opt_db(&argc, argv);
	cfg.key_path = cli_opt_key(&argc, argv, cfg.db_url);
	static const struct option opts[] = {{"listen", required_argument, 0, 'l'},
	                                     {"threads", required_argument, 0, 't'},
	                                     {"timeout", required_argument, 0, 'T'},
	                                     {"max-connections", required_argument, 0, 'c'},
	                                     {"max-per-ip", required_argument, 0, 'p'},
	                                     {"max-body", required_argument, 0, 'b'},
	                                     {"trust-proxy", no_argument, 0, 'x'},
	                                     {"hsts", no_argument, 0, 'h'},
	                                     {"public-url", required_argument, 0, 'o'},
	                                     {"story-rate-ip", required_argument, 0, 'i'},
	                                     {"story-rate-collection", required_argument, 0, 'C'},
	                                     {"analysis-min-group", required_argument, 0, 'g'},
	                                     MAIL_CLI_OPTIONS,
	                                     {0}};
	struct mail_cli mail;
	mail_cli_defaults(&mail);
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int64_t v = 0;
		int mrc = mail_cli_option("serve", ch, optarg, &mail);
		if (mrc == 1)
			return 1;
		if (mrc == 0)
			continue;
		if (strchr("tTcpbg", ch) &&
		    (util_parse_i64(optarg, &v) || v < 1 || v > (1 << 30))) {
			const char *flag = "?";
			for (const struct option *o = opts; o->name; o++)
				if (o->val == ch)
					flag = o->name;
			return cli_fail("serve", "--%s wants a positive number", flag);
		}
		if (strchr("iC", ch) && (util_parse_i64(optarg, &v) || v < 0 || v > 100000000))
			return cli_fail("serve",
			                "--%s wants a number of stories a minute (0: no limit)",
			                ch == 'i' ? "story-rate-ip" : "story-rate-collection");
		switch (ch) {
		case 'l': cfg.listen = optarg; break;
		case 't': cfg.threads = (int)v; break;
		case 'T': cfg.conn_timeout = (int)v; break;
		case 'c': cfg.conn_limit = (int)v; break;
		case 'p': cfg.per_ip_limit = (int)v; break;
		case 'b': cfg.body_limit = (size_t)v; break;
		case 'x': cfg.trust_proxy = 1; break;
		case 'h': cfg.hsts = 1; break;
		case 'o':
			if (server_public_url_check(optarg))
				return cli_fail(
				        "serve",
				        "--public-url wants the address people open, such as "
				        "https://vertelpunt.gemeente.nl (no path, no spaces)");
			cfg.public_url = server_public_url_trim(optarg);
			break;
		case 'i': cfg.story_rate_ip = (int)v; break;
		case 'C': cfg.story_rate_collection = (int)v; break;
		case 'g': cfg.analysis_min_group = (int)v; break;
		default: return cli_fail("serve", "see 'vertelpunt help serve'");
		}
	}
	if (optind < argc)
		return cli_fail("serve", "unexpected argument '%s'", argv[optind]);
	if (mail_cli_finish("serve", &mail))
		return 1;
	cfg.smtp = mail.smtp;
	cfg.mail_max_attempts = mail.max_attempts;
	if (cli_ensure_parent_dir(cfg.db_url))
		return cli_fail("serve", "cannot create the folder of %s: %s", cfg.db_url,
		                strerror(errno));
	return server_run(&cfg);
}

int main(int argc, char **argv)
{
	/* Every file and folder the program makes (the database and its
	 * journal, uploads, backups, exports) is its own alone: story texts are
	 * personal even where contact data is sealed. */
	umask(S_IRWXG | S_IRWXO);
	if (sodium_init() < 0)
		return cli_fail("", "libsodium could not start");
	if (argc < 2)
		return cmd_help(1, argv);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return cmd_help(1, argv);
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(1, argv);
	for (int i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, argv[1]) == 0)
			return commands[i].run(argc - 1, argv + 1);
	return cli_fail(argv[1], "unknown command; 'vertelpunt help' lists them");
}
