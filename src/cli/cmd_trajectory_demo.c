/* cmd_trajectory_demo.c: `vertelpunt trajectory demo ID USERNAME`: a trajectory filled with made-up group conversations (a dialogue session with registrations placed at tables, a mirror conversation with its panel, a citizen initiative in its pipeline), for the demo. */
#include "cli/cli.h"
#include "core/clock.h"
#include "core/util.h"
#include "model/conversation.h"
#include "model/dialogue.h"
#include "model/initiative.h"
#include "model/mirror.h"
#include "model/trajectory.h"
#include "model/user.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define CMD "trajectory"

/* People who register for the dialogue session: made up, with addresses
 * in example.com (RFC 2606), so nothing can reach a real person. */
static const struct demo_person {
	const char *name, *email, *district, *age_band, *contribution;
} people[] = {
        {"Anouk de Vries", "anouk.devries@example.com", "Centrum", "30-44",
         "Ik woon aan het plein en wil dat kinderen er veilig kunnen spelen."},
        {"Mohamed El Amrani", "m.elamrani@example.com", "Oost", "45-64",
         "Mijn winkel zit aan het plein. Laden en lossen moet kunnen."},
        {"Gerda Bakker", "gerda.bakker@example.com", "Centrum", "80 en ouder",
         "Ik loop met een rollator. Ik wil bankjes met leuningen."},
        {"Sven Jansen", "sven.jansen@example.com", "West", "18-29", ""},
        {"Fatma Yilmaz", "fatma.yilmaz@example.com", "Oost", "30-44",
         "Graag meer schaduw, bomen in plaats van tegels."},
        {"Kees van Dijk", "kees.vandijk@example.com", "Noord", "65-79",
         "De markt op donderdag moet blijven."},
        {"Lotte Visser", "lotte.visser@example.com", "West", "45-64", ""},
        {"Jan Smit", "jan.smit@example.com", "Noord", "65-79",
         "Licht 's avonds, want nu is het er donker."},
        {"Priya Raghoebir", "priya.r@example.com", "Centrum", "18-29", ""},
        {"Henk Mulder", "henk.mulder@example.com", "Oost", "80 en ouder", ""},
        {"Noor Hendriks", "noor.hendriks@example.com", "West", "30-44",
         "Een plek voor de jongeren uit de buurt."},
        {"Bram de Boer", "bram.deboer@example.com", "Noord", "45-64", ""},
        {"Ilse Peters", "ilse.peters@example.com", "Centrum", "65-79",
         "Fietsen parkeren zonder dat de stoep vol staat."},
        {"Yusuf Kaya", "yusuf.kaya@example.com", "Oost", "18-29", ""},
        {"Marieke Dekker", "marieke.dekker@example.com", "West", "65-79", ""},
        {"Tom Willems", "tom.willems@example.com", "Noord", "30-44", ""},
        {"Sanne Bos", "sanne.bos@example.com", "Centrum", "45-64",
         "Ik organiseer het buurtfeest en wil het plein blijven gebruiken."},
        {"Ahmed Benali", "a.benali@example.com", "Oost", "65-79", ""},
        {"Els Meijer", "els.meijer@example.com", "West", "80 en ouder",
         "Ik heb hulp nodig om online mee te doen."},
        {"Daan Koster", "daan.koster@example.com", "Noord", "18-29", ""},
        {"Wilma Prins", "wilma.prins@example.com", "Centrum", "65-79", ""},
        {"Rik Verbeek", "rik.verbeek@example.com", "Oost", "30-44", ""},
};
enum { NPEOPLE = sizeof people / sizeof people[0], SESSION_CAPACITY = 20 };

struct demo_job {
	const vault *v;
	int64_t org_id, trajectory_id, user_id, now;
	/* out */
	const char *failed; /* what could not be made, for the message */
	int64_t session_id, mirror_id, initiative_id;
	int registered, waiting, placed;
};

/* The first table of a session (a default one the session was made with). */
static int first_table(db *d, int64_t session_id, int64_t *table_id)
{
	db_stmt *s = db_prepare(
	        d, "SELECT id FROM dialogue_tables WHERE session_id = :s ORDER BY id LIMIT 1");
	db_bind_int(s, "s", session_id);
	int rc = db_step(s);
	if (rc == DB_ROW)
		*table_id = db_col_int(s, 0);
	db_finalize(s);
	return rc == DB_ROW ? DB_OK : DB_ERROR;
}

/* A session two weeks from now at 19:00 UTC, registration closing two days
 * before; everyone of people[] registered (the last ones on the waiting
 * list), placed at tables, the user at the first table. */
static int demo_dialogue(db *d, struct demo_job *j)
{
	int64_t day = 86400, start = (j->now / day + 14) * day + 19 * 3600;
	struct dialogue_session_new sn = {
	        .trajectory_id = j->trajectory_id,
	        .user_id = j->user_id,
	        .title = "Dialoogtafel: wat wilt u op het plein?",
	        .starts_at = start,
	        .minutes = 120,
	        .place = "Dorpshuis De Linde, Dorpsstraat 12",
	        .online_url = "https://meet.example.com/dorpsplein",
	        .closes_at = start - 2 * day,
	        .capacity = SESSION_CAPACITY,
	        .agenda = "Welkom en kennismaken. Wat gaat goed op het plein, wat kan beter? "
	                  "Samen afspraken maken voor het ontwerp.",
	};
	const char *bad = dialogue_session_check(&sn, j->now);
	if (bad) {
		j->failed = bad;
		return DB_ERROR;
	}
	int rc = dialogue_session_create_write(d, &sn);
	if (rc != DB_OK)
		return rc;
	j->session_id = sn.id;
	for (int i = 0; i < NPEOPLE; i++) {
		const struct demo_person *p = &people[i];
		struct dialogue_registration_new g = {
		        .v = j->v,
		        .trajectory_id = j->trajectory_id,
		        .session_id = sn.id,
		        .name = p->name,
		        .email = p->email,
		        .contribution = p->contribution,
		        .district = p->district,
		        .age_band = p->age_band,
		        .needs_help = strstr(p->contribution, "online") != NULL,
		        .now = j->now,
		};
		if ((bad = dialogue_registration_check(&g))) {
			j->failed = bad;
			return DB_ERROR;
		}
		if ((rc = dialogue_register_write(d, &g)) != DB_OK)
			return rc;
		if (g.result != DIALOGUE_OK) {
			j->failed = "a registration";
			return DB_ERROR;
		}
		j->registered++;
		j->waiting += g.waiting;
	}
	struct dialogue_place_all pa = {
	        .trajectory_id = j->trajectory_id, .session_id = sn.id, .seed = 1};
	if ((rc = dialogue_place_all_write(d, &pa)) != DB_OK)
		return rc;
	if (pa.result != DIALOGUE_OK) {
		j->failed = "the placement at tables";
		return DB_ERROR;
	}
	j->placed = pa.placed;
	struct dialogue_facilitator fa = {
	        .trajectory_id = j->trajectory_id, .user_id = j->user_id, .add = 1};
	if ((rc = first_table(d, sn.id, &fa.table_id)) != DB_OK)
		return rc;
	if ((rc = dialogue_facilitator_write(d, &fa)) != DB_OK)
		return rc;
	if (fa.result != DIALOGUE_OK) {
		j->failed = "the facilitator (is the user on the trajectory?)";
		return DB_ERROR;
	}
	return DB_OK;
}

/* A mirror conversation next week: an independent facilitator, a panel of
 * three, two officials who listen, the appointment. */
static int demo_mirror(db *d, struct demo_job *j)
{
	struct mirror_new m = {
	        .trajectory_id = j->trajectory_id,
	        .user_id = j->user_id,
	        .title = "Spiegelgesprek: hoe ervaart u de plannen voor het plein?",
	        .facilitator_name = "Ria Hoekstra",
	        .facilitator_org = "Buurtwerk De Brug",
	};
	const char *bad = mirror_check(&m);
	if (bad) {
		j->failed = bad;
		return DB_ERROR;
	}
	int rc = mirror_create_write(d, &m);
	if (rc != DB_OK)
		return rc;
	j->mirror_id = m.id;
	for (int i = 0; i < 3; i++) {
		struct conversation_person_new p = {
		        .v = j->v,
		        .trajectory_id = j->trajectory_id,
		        .conversation_id = m.id,
		        .kind = i == 1 ? "entrepreneur" : "resident",
		        .name = people[i].name,
		        .email = people[i].email,
		};
		if ((bad = conversation_person_check(&p))) {
			j->failed = bad;
			return DB_ERROR;
		}
		if ((rc = conversation_person_write(d, &p)) != DB_OK)
			return rc;
		if (p.result != CONV_OK) {
			j->failed = "a panel member";
			return DB_ERROR;
		}
	}
	static const char *const observers[][2] = {{"Karin de Graaf", "Openbare ruimte"},
	                                           {"Peter Vos", "Verkeer"}};
	for (int i = 0; i < 2; i++) {
		struct mirror_change c = {.trajectory_id = j->trajectory_id,
		                          .conversation_id = m.id,
		                          .user_id = j->user_id,
		                          .action = MIRROR_ACT_OBSERVER,
		                          .name = observers[i][0],
		                          .team = observers[i][1]};
		if ((rc = mirror_change_write(d, &c)) != DB_OK)
			return rc;
		if (c.result != CONV_OK) {
			j->failed = "a listening official";
			return DB_ERROR;
		}
	}
	int64_t day = 86400;
	struct conversation_appointment ap = {
	        .trajectory_id = j->trajectory_id,
	        .conversation_id = m.id,
	        .a = {.starts_at = (j->now / day + 7) * day + 14 * 3600,
	              .minutes = 90,
	              .place_kind = "town_hall",
	              .place = "Gemeentehuis, zaal 2",
	              .official_user_id = j->user_id,
	              .remind_minutes = -1},
	};
	if ((bad = appointment_check(&ap.a, j->now))) {
		j->failed = bad;
		return DB_ERROR;
	}
	if ((rc = conversation_appointment_write(d, &ap)) != DB_OK)
		return rc;
	if (ap.result != CONV_OK) {
		j->failed = "the appointment (does the user have another one then?)";
		return DB_ERROR;
	}
	return DB_OK;
}

/* An initiative of residents: the intake, an initiator, the first talk
 * with its outcome, and on to working together. */
static int demo_initiative(db *d, struct demo_job *j)
{
	struct initiative_new n = {
	        .org_id = j->org_id,
	        .user_id = j->user_id,
	        .trajectory_id = j->trajectory_id,
	        .contact_user_id = j->user_id,
	        .title = "Moestuin achter het dorpshuis",
	        .idea = "Met buren een moestuin maken op het grasveld achter het dorpshuis. "
	                "Kinderen van de school doen mee.",
	        .neighbourhood = "Centrum",
	        .ask = "Toestemming voor het grasveld, en hulp bij het eerste hek.",
	};
	const char *bad = initiative_check(&n);
	if (bad) {
		j->failed = bad;
		return DB_ERROR;
	}
	int rc = initiative_create_write(d, &n);
	if (rc != DB_OK)
		return rc;
	if (n.result != INIT_OK) {
		j->failed = "the initiative";
		return DB_ERROR;
	}
	j->initiative_id = n.id;
	struct initiative_person_new p = {.v = j->v,
	                                  .org_id = j->org_id,
	                                  .initiative_id = n.id,
	                                  .name = people[16].name,
	                                  .email = people[16].email};
	if ((bad = initiative_person_check(&p))) {
		j->failed = bad;
		return DB_ERROR;
	}
	if ((rc = initiative_person_write(d, &p)) != DB_OK)
		return rc;
	char today[16];
	time_t now = (time_t)j->now;
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	struct initiative_talk t = {
	        .org_id = j->org_id,
	        .initiative_id = n.id,
	        .user_id = j->user_id,
	        .talk_on = today,
	        .outcome = "Goed plan. De gemeente onderzoekt of het grasveld gebruikt mag worden.",
	        .roles = "Bewoners: tuin aanleggen en onderhouden. Gemeente: toestemming en "
	                 "een hek.",
	        .next_steps = "Over vier weken een tweede gesprek, met de school erbij.",
	};
	if ((bad = initiative_talk_check(&t))) {
		j->failed = bad;
		return DB_ERROR;
	}
	if ((rc = initiative_talk_write(d, &t)) != DB_OK)
		return rc;
	struct initiative_move mv = {.org_id = j->org_id,
	                             .initiative_id = n.id,
	                             .user_id = j->user_id,
	                             .to = "collaboration"};
	if ((rc = initiative_move_write(d, &mv)) != DB_OK)
		return rc;
	if (mv.result != INIT_OK) {
		j->failed = "the move to working together";
		return DB_ERROR;
	}
	return DB_OK;
}

/* All of it or none: one writer job. */
static int demo_write(db *d, void *ctx)
{
	struct demo_job *j = ctx;
	int rc = demo_dialogue(d, j);
	if (rc == DB_OK)
		rc = demo_mirror(d, j);
	if (rc == DB_OK)
		rc = demo_initiative(d, j);
	return rc;
}

/* trajectory demo ID USERNAME [--key FILE] */
int cli_trajectory_demo(const char *url, int argc, char **argv)
{
	const char *key = cli_opt_key(&argc, argv, url);
	struct demo_job j = {.now = clock_now()};
	if (argc != 3 || util_parse_id(argv[1], &j.trajectory_id))
		return cli_fail(CMD, "usage: vertelpunt trajectory demo ID USERNAME [--key FILE]");
	vault *v = cli_load_vault(CMD, key);
	if (!v)
		return 1;
	j.v = v;
	db *d = cli_open_migrated(CMD, url);
	if (!d) {
		vault_free(v);
		return 1;
	}
	j.org_id = cli_first_org(d);
	struct user u;
	int rc = user_by_name(d, argv[2], &u, NULL);
	int may = rc == DB_ROW ? trajectory_user_may(d, j.org_id, &u, j.trajectory_id) : 0;
	db_close(d);
	if (rc != DB_ROW) {
		vault_free(v);
		return cli_fail(CMD, "no user %s", argv[2]);
	}
	if (may != 1) {
		vault_free(v);
		return cli_fail(CMD, "no trajectory %lld that %s works on",
		                (long long)j.trajectory_id, argv[2]);
	}
	j.user_id = u.id;
	rc = cli_run_job(CMD, url, demo_write, &j);
	vault_free(v);
	if (rc != 0)
		return cli_fail(CMD, "nothing was added: %s could not be made",
		                j.failed ? j.failed : "the demo");
	buf out;
	buf_init(&out);
	buf_printf(&out,
	           "{\"trajectory\":%lld,\"dialogue_session\":%lld,\"registered\":%d,"
	           "\"waiting\":%d,\"placed\":%d,\"mirror_conversation\":%lld,\"initiative\":%lld}",
	           (long long)j.trajectory_id, (long long)j.session_id, j.registered - j.waiting,
	           j.waiting, j.placed, (long long)j.mirror_id, (long long)j.initiative_id);
	cli_print(&out);
	return 0;
}
