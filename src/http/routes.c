/* routes.c: every URL of Vertelpunt, with its handler and who may call it. */
#include "http/routes.h"

#include "web/pages.h"

#include <string.h>

#define STAFF ROLE_ALL_STAFF
#define ADMIN ROLE_BEHEERDER
/* Who builds interview scripts: administrators, analysts, facilitators. */
#define EDITORS (ROLE_BEHEERDER | ROLE_ONDERZOEKER | ROLE_PROCESBEGELEIDER)
/* Who takes a story with a client: conversation leads and administrators. */
#define TAKERS (ROLE_GESPREKSVOERDER | ROLE_BEHEERDER)
/* Who starts and runs trajectories: everyone on the staff but readers. */
#define ORGANISERS (ROLE_ALL_STAFF & ~ROLE_MEELEZER)

/* grep this table to find a URL. Every route states its roles and, unless
 * it is GET, whether it needs a CSRF token. */
const struct route routes[] = {
        /* method  path                          handler              roles        flags */
        {"GET", "/", page_home, ROLE_PUBLIC, ROUTE_NO_CSRF},
        {"GET", "/login", page_login_form, ROLE_PUBLIC, ROUTE_NO_CSRF},
        {"POST", "/login", page_login, ROLE_PUBLIC, ROUTE_CSRF},
        {"POST", "/logout", page_logout, STAFF, ROUTE_CSRF},
        {"GET", "/account", page_account, STAFF, ROUTE_NO_CSRF},
        {"GET", "/account/password", page_password_form, STAFF, ROUTE_NO_CSRF},
        {"POST", "/account/password", page_password, STAFF, ROUTE_CSRF},
        {"GET", "/login/2fa", page_2fa_form, ROLE_PUBLIC, ROUTE_NO_CSRF},
        {"POST", "/login/2fa", page_2fa, ROLE_PUBLIC, ROUTE_CSRF},
        {"POST", "/login/2fa/cancel", page_2fa_cancel, ROLE_PUBLIC, ROUTE_CSRF},
        {"GET", "/login/2fa/enrol", page_2fa_enrol_form, ROLE_PUBLIC, ROUTE_NO_CSRF},
        {"POST", "/login/2fa/enrol", page_2fa_enrol, ROLE_PUBLIC, ROUTE_CSRF},
        {"GET", "/account/2fa", page_account_2fa, STAFF, ROUTE_NO_CSRF},
        {"POST", "/account/2fa", page_account_2fa_enrol, STAFF, ROUTE_CSRF},
        {"POST", "/account/2fa/disable", page_account_2fa_disable, STAFF, ROUTE_CSRF},
        {"POST", "/account/2fa/recovery", page_account_2fa_recovery, STAFF, ROUTE_CSRF},
        {"GET", "/beheer/gebruikers", page_users, ADMIN, ROUTE_NO_CSRF},
        {"POST", "/beheer/gebruikers", page_user_add, ADMIN, ROUTE_CSRF},
        {"POST", "/beheer/gebruikers/{id}", page_user_change, ADMIN, ROUTE_CSRF},
        {"GET", "/beheer/personen", page_people, ADMIN, ROUTE_NO_CSRF},
        {"POST", "/beheer/personen/zoeken", page_people_search, ADMIN, ROUTE_CSRF},
        {"GET", "/beheer/personen/{code}", page_person, ADMIN, ROUTE_NO_CSRF},
        {"GET", "/beheer/personen/{code}/export", page_person_export, ADMIN, ROUTE_NO_CSRF},
        {"POST", "/beheer/personen/{code}/correct", page_person_correct, ADMIN, ROUTE_CSRF},
        {"POST", "/beheer/personen/{code}/erase", page_person_erase, ADMIN, ROUTE_CSRF},
        /* Outgoing e-mail, the outbox (page_outbox.c, docs/mail.md). */
        {"GET", "/beheer/uitgaand", page_outbox, ADMIN, ROUTE_NO_CSRF},
        {"POST", "/beheer/uitgaand/{id}/opnieuw", page_outbox_retry, ADMIN, ROUTE_CSRF},
        /* Interview scripts: everyone on the staff may look, EDITORS change. */
        {"GET", "/vragenlijsten", page_scripts, STAFF, ROUTE_NO_CSRF},
        {"POST", "/vragenlijsten", page_script_create, EDITORS, ROUTE_CSRF},
        {"POST", "/vragenlijsten/import", page_script_import, EDITORS, ROUTE_CSRF | ROUTE_UPLOAD},
        {"POST", "/vragenlijsten/bibliotheek/{name}", page_script_library, EDITORS, ROUTE_CSRF},
        {"GET", "/vragenlijsten/{id}", page_script_latest, STAFF, ROUTE_NO_CSRF},
        {"GET", "/vragenlijsten/{id}/versies/{n}", page_script_version, STAFF, ROUTE_NO_CSRF},
        {"POST", "/vragenlijsten/{id}/versies/{n}/teksten", page_script_texts, EDITORS, ROUTE_CSRF},
        {"POST", "/vragenlijsten/{id}/versies/{n}/vragen", page_script_question_add, EDITORS,
         ROUTE_CSRF | ROUTE_UPLOAD},
        {"POST", "/vragenlijsten/{id}/versies/{n}/secties", page_script_section_add, EDITORS,
         ROUTE_CSRF | ROUTE_UPLOAD},
        {"GET", "/vragenlijsten/{id}/versies/{n}/vragen/{qid}", page_script_question_form, STAFF,
         ROUTE_NO_CSRF},
        {"POST", "/vragenlijsten/{id}/versies/{n}/vragen/{qid}", page_script_question_save, EDITORS,
         ROUTE_CSRF | ROUTE_UPLOAD},
        {"POST", "/vragenlijsten/{id}/versies/{n}/vragen/{qid}/verplaatsen",
         page_script_question_move, EDITORS, ROUTE_CSRF},
        {"POST", "/vragenlijsten/{id}/versies/{n}/vragen/{qid}/verwijderen",
         page_script_question_delete, EDITORS, ROUTE_CSRF},
        {"POST", "/vragenlijsten/{id}/versies/{n}/status", page_script_status, EDITORS, ROUTE_CSRF},
        {"POST", "/vragenlijsten/{id}/versies/{n}/nieuwe-versie", page_script_copy, EDITORS,
         ROUTE_CSRF},
        {"GET", "/vragenlijsten/{id}/versies/{n}/papier", page_script_paper, STAFF, ROUTE_NO_CSRF},
        {"GET", "/vragenlijsten/{id}/versies/{n}/voorbeeld", page_script_preview, STAFF,
         ROUTE_NO_CSRF | ROUTE_FRAMEABLE},
        {"GET", "/vragenlijsten/{id}/versies/{n}/voorbeeld/telefoon", page_script_preview_phone,
         STAFF, ROUTE_NO_CSRF},
        /* Collections: everyone on the staff may look, EDITORS make and close. */
        /* Trajectories: each {id} route is checked against who is on it. */
        {"GET", "/trajecten", page_trajectories, STAFF, ROUTE_NO_CSRF},
        {"POST", "/trajecten", page_trajectory_create, ORGANISERS, ROUTE_CSRF | ROUTE_UPLOAD},
        {"GET", "/trajecten/{id}", page_trajectory, STAFF, ROUTE_NO_CSRF | ROUTE_TRAJECTORY},
        {"GET", "/trajecten/{id}/bewerken", page_trajectory_edit_form, ORGANISERS,
         ROUTE_NO_CSRF | ROUTE_TRAJECTORY},
        {"POST", "/trajecten/{id}/bewerken", page_trajectory_save, ORGANISERS,
         ROUTE_CSRF | ROUTE_TRAJECTORY | ROUTE_UPLOAD},
        {"POST", "/trajecten/{id}/medewerkers", page_trajectory_staff, ORGANISERS,
         ROUTE_CSRF | ROUTE_TRAJECTORY},
        {"POST", "/trajecten/{id}/sluiten", page_trajectory_close, ORGANISERS,
         ROUTE_CSRF | ROUTE_TRAJECTORY},
        {"GET", "/trajecten/{id}/contact", page_trajectory_contact, STAFF,
         ROUTE_NO_CSRF | ROUTE_TRAJECTORY},
        /* A trajectory's overview and its report to print (page_overview.c). */
        {"GET", "/trajecten/{id}/overzicht", page_trajectory_overview, STAFF,
         ROUTE_NO_CSRF | ROUTE_TRAJECTORY},
        {"GET", "/trajecten/{id}/rapport", page_trajectory_report, STAFF,
         ROUTE_NO_CSRF | ROUTE_TRAJECTORY},
        {"POST", "/trajecten/{id}/contact/{cid}/afgehandeld", page_trajectory_contact_handled,
         ORGANISERS, ROUTE_CSRF | ROUTE_TRAJECTORY},
        /* Kitchen-table conversations of a trajectory. */
        {"POST", "/trajecten/{id}/gesprekken", page_conversation_create, ORGANISERS,
         ROUTE_CSRF | ROUTE_TRAJECTORY},
        {"GET", "/trajecten/{id}/gesprekken/{cid}", page_conversation, STAFF,
         ROUTE_NO_CSRF | ROUTE_TRAJECTORY},
        {"POST", "/trajecten/{id}/gesprekken/{cid}/personen", page_conversation_person, ORGANISERS,
         ROUTE_CSRF | ROUTE_TRAJECTORY},
        {"POST", "/trajecten/{id}/gesprekken/{cid}/uitnodigen", page_conversation_invite,
         ORGANISERS, ROUTE_CSRF | ROUTE_TRAJECTORY},
        {"POST", "/trajecten/{id}/gesprekken/{cid}/afspraak", page_conversation_appointment,
         ORGANISERS, ROUTE_CSRF | ROUTE_TRAJECTORY},
        {"POST", "/trajecten/{id}/gesprekken/{cid}/verloop", page_conversation_change, ORGANISERS,
         ROUTE_CSRF | ROUTE_TRAJECTORY},
        {"GET", "/gesprekken", page_conversations_todo, STAFF, ROUTE_NO_CSRF},
        /* Mirror conversations of a trajectory (page_mirror.c): a kind of
         * conversation, so its people, invitation, appointment and course
         * are the conversation's own handlers under their own path. */
        {"GET", "/trajecten/{id}/spiegelgesprekken", page_mirrors, STAFF,
         ROUTE_NO_CSRF | ROUTE_TRAJECTORY},
        {"POST", "/trajecten/{id}/spiegelgesprekken", page_mirror_create, ORGANISERS,
         ROUTE_CSRF | ROUTE_TRAJECTORY},
        {"GET", "/trajecten/{id}/spiegelgesprekken/{cid}", page_conversation, STAFF,
         ROUTE_NO_CSRF | ROUTE_TRAJECTORY},
        {"POST", "/trajecten/{id}/spiegelgesprekken/{cid}/personen", page_conversation_person,
         ORGANISERS, ROUTE_CSRF | ROUTE_TRAJECTORY},
        {"POST", "/trajecten/{id}/spiegelgesprekken/{cid}/uitnodigen", page_conversation_invite,
         ORGANISERS, ROUTE_CSRF | ROUTE_TRAJECTORY},
        {"POST", "/trajecten/{id}/spiegelgesprekken/{cid}/afspraak", page_conversation_appointment,
         ORGANISERS, ROUTE_CSRF | ROUTE_TRAJECTORY},
        {"POST", "/trajecten/{id}/spiegelgesprekken/{cid}/verloop", page_conversation_change,
         ORGANISERS, ROUTE_CSRF | ROUTE_TRAJECTORY},
        {"POST", "/trajecten/{id}/spiegelgesprekken/{cid}/spiegel", page_mirror_change, ORGANISERS,
         ROUTE_CSRF | ROUTE_TRAJECTORY},
        /* Citizen initiatives (page_initiatives.c): for all staff, one in a
         * trajectory for that trajectory's staff (ROUTE_INITIATIVE). */
        {"GET", "/initiatieven", page_initiatives, STAFF, ROUTE_NO_CSRF},
        {"POST", "/initiatieven", page_initiative_create, ORGANISERS, ROUTE_CSRF},
        {"GET", "/initiatieven/{id}", page_initiative, STAFF, ROUTE_NO_CSRF | ROUTE_INITIATIVE},
        {"POST", "/initiatieven/{id}/initiatiefnemers", page_initiative_person, ORGANISERS,
         ROUTE_CSRF | ROUTE_INITIATIVE},
        {"POST", "/initiatieven/{id}/gesprek", page_initiative_talk, ORGANISERS,
         ROUTE_CSRF | ROUTE_INITIATIVE},
        {"POST", "/initiatieven/{id}/status", page_initiative_status, ORGANISERS,
         ROUTE_CSRF | ROUTE_INITIATIVE},
        /* A participant's personal link: the token is the authority. */
        {"GET", "/uitnodiging/{token}", page_invitation, ROLE_PUBLIC, ROUTE_NO_CSRF},
        {"POST", "/uitnodiging/{token}", page_invitation_answer, ROLE_PUBLIC, ROUTE_CSRF},
        {"GET", "/meedoen/{slug}", page_participate, ROLE_PUBLIC, ROUTE_NO_CSRF},
        {"POST", "/meedoen/{slug}/contact", page_participate_contact, ROLE_PUBLIC, ROUTE_CSRF},
        /* Dialogue tables (page_dialogue.c): a trajectory's series of sessions;
         * at a table only its facilitators and the responsible officials act. */
        {"GET", "/trajecten/{id}/dialoog", page_dialogue, STAFF, ROUTE_NO_CSRF | ROUTE_TRAJECTORY},
        {"POST", "/trajecten/{id}/dialoog", page_dialogue_session_create, ORGANISERS,
         ROUTE_CSRF | ROUTE_TRAJECTORY},
        {"GET", "/trajecten/{id}/dialoog/sessies/{sid}", page_dialogue_session, STAFF,
         ROUTE_NO_CSRF | ROUTE_TRAJECTORY},
        {"POST", "/trajecten/{id}/dialoog/sessies/{sid}/indelen", page_dialogue_place, ORGANISERS,
         ROUTE_CSRF | ROUTE_TRAJECTORY},
        {"POST", "/trajecten/{id}/dialoog/aanmeldingen/{rid}", page_dialogue_registration,
         ORGANISERS, ROUTE_CSRF | ROUTE_TRAJECTORY},
        {"POST", "/trajecten/{id}/dialoog/tafels/{tid}/begeleiders", page_dialogue_facilitator,
         ORGANISERS, ROUTE_CSRF | ROUTE_TRAJECTORY},
        {"GET", "/trajecten/{id}/dialoog/tafels/{tid}", page_dialogue_table, STAFF,
         ROUTE_NO_CSRF | ROUTE_TRAJECTORY},
        {"POST", "/trajecten/{id}/dialoog/tafels/{tid}/beurt", page_dialogue_turn, ORGANISERS,
         ROUTE_CSRF | ROUTE_TRAJECTORY},
        {"POST", "/trajecten/{id}/dialoog/tafels/{tid}/notities", page_dialogue_note, ORGANISERS,
         ROUTE_CSRF | ROUTE_TRAJECTORY},
        {"GET", "/trajecten/{id}/dialoog/afspraken", page_dialogue_agreements, STAFF,
         ROUTE_NO_CSRF | ROUTE_TRAJECTORY},
        {"POST", "/trajecten/{id}/dialoog/afspraken", page_dialogue_agreements_save, ORGANISERS,
         ROUTE_CSRF | ROUTE_TRAJECTORY},
        {"POST", "/trajecten/{id}/dialoog/afspraken/status", page_dialogue_agreements_status,
         ORGANISERS, ROUTE_CSRF | ROUTE_TRAJECTORY},
        {"POST", "/trajecten/{id}/dialoog/evaluatie", page_dialogue_evaluation, ORGANISERS,
         ROUTE_CSRF | ROUTE_TRAJECTORY},
        {"GET", "/meedoen/{slug}/dialoog", page_participate_dialogue, ROLE_PUBLIC, ROUTE_NO_CSRF},
        {"POST", "/meedoen/{slug}/dialoog", page_participate_dialogue_register, ROLE_PUBLIC,
         ROUTE_CSRF},
        /* The link in a registration's e-mails (page_dialogue_cancel.c). */
        {"GET", "/afmelden/{token}", page_dialogue_cancel, ROLE_PUBLIC, ROUTE_NO_CSRF},
        {"POST", "/afmelden/{token}", page_dialogue_cancel_post, ROLE_PUBLIC, ROUTE_CSRF},
        {"GET", "/verzamelingen", page_collections, STAFF, ROUTE_NO_CSRF},
        {"POST", "/verzamelingen", page_collection_create, EDITORS, ROUTE_CSRF},
        {"GET", "/verzamelingen/{id}", page_collection, STAFF, ROUTE_NO_CSRF | ROUTE_COLLECTION},
        {"POST", "/verzamelingen/{id}/sluiten", page_collection_close, EDITORS,
         ROUTE_CSRF | ROUTE_COLLECTION},
        {"GET", "/verzamelingen/{id}/poster", page_collection_poster, STAFF,
         ROUTE_NO_CSRF | ROUTE_COLLECTION},
        {"GET", "/verzamelingen/{id}/flyer", page_collection_flyer, STAFF,
         ROUTE_NO_CSRF | ROUTE_COLLECTION},
        {"GET", "/verzamelingen/{id}/qr.svg", page_collection_qr, STAFF,
         ROUTE_NO_CSRF | ROUTE_COLLECTION},
        /* The catalogue of methods (page_methods.c): the staff read,
         * administrators edit and add. "nieuw" before {id}: the first match wins. */
        {"GET", "/werkvormen", page_methods, STAFF, ROUTE_NO_CSRF},
        {"GET", "/werkvormen/nieuw", page_method_new_form, ADMIN, ROUTE_NO_CSRF},
        {"POST", "/werkvormen/nieuw", page_method_new, ADMIN, ROUTE_CSRF},
        {"GET", "/werkvormen/{id}", page_method, STAFF, ROUTE_NO_CSRF},
        {"GET", "/werkvormen/{id}/bewerken", page_method_edit_form, ADMIN, ROUTE_NO_CSRF},
        {"POST", "/werkvormen/{id}/bewerken", page_method_edit, ADMIN, ROUTE_CSRF},
        /* The explorer (page_explore.c): every staff role reads, like the analysis API. */
        {"GET", "/verkennen/{id}", page_explore, STAFF, ROUTE_NO_CSRF | ROUTE_COLLECTION},
        {"GET", "/verkennen/{id}/patronen", page_explore_patterns, STAFF,
         ROUTE_NO_CSRF | ROUTE_COLLECTION},
        {"GET", "/verkennen/{id}/vergelijken", page_explore_compare, STAFF,
         ROUTE_NO_CSRF | ROUTE_COLLECTION},
        /* The words a group uses more (page_explore_words.c). */
        {"GET", "/verkennen/{id}/woorden", page_explore_words, STAFF,
         ROUTE_NO_CSRF | ROUTE_COLLECTION},
        /* The stories behind a view, its downloads (page_explore_stories.c, _export.c). */
        {"GET", "/verkennen/{id}/verhalen", page_explore_stories, STAFF,
         ROUTE_NO_CSRF | ROUTE_COLLECTION},
        {"GET", "/verkennen/{id}/verhalen/kaarten", page_explore_cards, STAFF,
         ROUTE_NO_CSRF | ROUTE_COLLECTION},
        {"GET", "/verkennen/{id}/export.csv", page_explore_export_csv, STAFF,
         ROUTE_NO_CSRF | ROUTE_COLLECTION},
        {"GET", "/verkennen/{id}/export.xlsx", page_explore_export_xlsx, STAFF,
         ROUTE_NO_CSRF | ROUTE_COLLECTION},
        {"GET", "/verkennen/{id}/export.json", page_explore_export_json, STAFF,
         ROUTE_NO_CSRF | ROUTE_COLLECTION},
        {"GET", "/verkennen/{id}/grafiek/{file}", page_explore_chart_file, STAFF,
         ROUTE_NO_CSRF | ROUTE_COLLECTION},
        /* People over time, client and consultant (page_explore_people.c). */
        {"GET", "/verkennen/{id}/mensen", page_explore_people, STAFF,
         ROUTE_NO_CSRF | ROUTE_COLLECTION},
        {"GET", "/verkennen/{id}/perspectieven", page_explore_perspectives, STAFF,
         ROUTE_NO_CSRF | ROUTE_COLLECTION},
        {"GET", "/verkennen/{id}/perspectieven/verhalen", page_explore_perspective_stories, STAFF,
         ROUTE_NO_CSRF | ROUTE_COLLECTION},
        /* A collection's overview and its report to print (page_overview.c). */
        {"GET", "/verkennen/{id}/overzicht", page_explore_overview, STAFF,
         ROUTE_NO_CSRF | ROUTE_COLLECTION},
        {"GET", "/verkennen/{id}/rapport", page_explore_report, STAFF,
         ROUTE_NO_CSRF | ROUTE_COLLECTION},
        /* Themes (page_explore_themes.c): computed in the background; every reader may stop it. */
        {"GET", "/verkennen/{id}/themas", page_explore_themes, STAFF,
         ROUTE_NO_CSRF | ROUTE_COLLECTION},
        {"POST", "/verkennen/{id}/themas/stoppen", page_explore_themes_stop, STAFF,
         ROUTE_CSRF | ROUTE_COLLECTION},
        /* Story sets and tags: every reader sees them, who builds scripts changes them. */
        {"GET", "/verkennen/{id}/selecties", page_explore_sets, STAFF,
         ROUTE_NO_CSRF | ROUTE_COLLECTION},
        {"GET", "/verkennen/{id}/selecties/{set}", page_explore_set, STAFF,
         ROUTE_NO_CSRF | ROUTE_COLLECTION},
        {"POST", "/verkennen/{id}/selecties", page_explore_set_add, EDITORS,
         ROUTE_CSRF | ROUTE_COLLECTION},
        {"POST", "/verkennen/{id}/selecties/{set}/verwijderen", page_explore_set_remove, EDITORS,
         ROUTE_CSRF | ROUTE_COLLECTION},
        {"POST", "/verkennen/{id}/verhalen/{story}/labels", page_explore_story_tags, EDITORS,
         ROUTE_CSRF | ROUTE_COLLECTION},
        /* A story taken by a conversation lead with a client (page_story.c). */
        {"GET", "/verzamelingen/{id}/opnemen", page_story_staff_form, TAKERS,
         ROUTE_NO_CSRF | ROUTE_COLLECTION},
        {"POST", "/verzamelingen/{id}/opnemen", page_story_staff_start, TAKERS,
         ROUTE_CSRF | ROUTE_COLLECTION},
        {"GET", "/verzamelingen/{id}/opnemen/stap/{n}", page_story_staff_step, TAKERS,
         ROUTE_NO_CSRF | ROUTE_COLLECTION},
        {"POST", "/verzamelingen/{id}/opnemen/stap/{n}", page_story_staff_step_save, TAKERS,
         ROUTE_CSRF | ROUTE_COLLECTION},
        {"POST", "/verzamelingen/{id}/opnemen/versturen", page_story_staff_send, TAKERS,
         ROUTE_CSRF | ROUTE_COLLECTION},
        {"POST", "/verzamelingen/{id}/opnemen/stoppen", page_story_staff_stop, TAKERS,
         ROUTE_CSRF | ROUTE_COLLECTION},
        /* The resident's story form at a collection's public link. */
        {"GET", "/v/{token}", page_story_start_form, ROLE_PUBLIC, ROUTE_NO_CSRF},
        {"POST", "/v/{token}/start", page_story_start, ROLE_PUBLIC, ROUTE_CSRF},
        {"GET", "/v/{token}/stap/{n}", page_story_step, ROLE_PUBLIC, ROUTE_NO_CSRF},
        {"POST", "/v/{token}/stap/{n}", page_story_step_save, ROLE_PUBLIC, ROUTE_CSRF},
        {"POST", "/v/{token}/versturen", page_story_send, ROLE_PUBLIC, ROUTE_CSRF},
        {"GET", "/v/{token}/verder", page_story_resume_form, ROLE_PUBLIC, ROUTE_NO_CSRF},
        {"POST", "/v/{token}/verder", page_story_resume, ROLE_PUBLIC, ROUTE_CSRF},
        /* The same form at a kiosk: no links out, no resume code, reset. */
        {"GET", "/v/{token}/kiosk", page_story_kiosk_form, ROLE_PUBLIC, ROUTE_NO_CSRF},
        {"POST", "/v/{token}/kiosk/start", page_story_kiosk_start, ROLE_PUBLIC, ROUTE_CSRF},
        {"GET", "/v/{token}/kiosk/stap/{n}", page_story_kiosk_step, ROLE_PUBLIC, ROUTE_NO_CSRF},
        {"POST", "/v/{token}/kiosk/stap/{n}", page_story_kiosk_step_save, ROLE_PUBLIC, ROUTE_CSRF},
        {"POST", "/v/{token}/kiosk/versturen", page_story_kiosk_send, ROLE_PUBLIC, ROUTE_CSRF},
        {"POST", "/v/{token}/kiosk/opnieuw", page_story_kiosk_reset, ROLE_PUBLIC, ROUTE_CSRF},
        /* The same story on one page that works offline (page_story_offline.c). */
        {"GET", "/v/{token}/offline", page_story_offline, ROLE_PUBLIC, ROUTE_NO_CSRF},
        {"GET", "/sw.js", page_service_worker, ROLE_PUBLIC, ROUTE_NO_CSRF},
        {"GET", "/manifest.webmanifest", page_manifest, ROLE_PUBLIC, ROUTE_NO_CSRF},
        {"GET", "/code", page_code_form, ROLE_PUBLIC, ROUTE_NO_CSRF},
        {"POST", "/code", page_code, ROLE_PUBLIC, ROUTE_CSRF},
        {"GET", "/taal/{lang}", page_language, ROLE_PUBLIC, ROUTE_NO_CSRF},
        {"GET", "/static/{name}", page_static, ROLE_PUBLIC, ROUTE_NO_CSRF},
        {"GET", "/healthz", page_healthz, ROLE_PUBLIC, ROUTE_NO_CSRF},
        {"GET", "/.well-known/security.txt", page_security_txt, ROLE_PUBLIC, ROUTE_NO_CSRF},
        {"GET", "/api/v1/openapi.json", api_openapi, ROLE_PUBLIC, ROUTE_NO_CSRF | ROUTE_API},
        {"GET", "/api/v1/me", api_me, STAFF, ROUTE_NO_CSRF | ROUTE_API},
        {"GET", "/api/v1/users", api_users_list, ADMIN, ROUTE_NO_CSRF | ROUTE_API},
        {"POST", "/api/v1/users", api_users_add, ADMIN, ROUTE_CSRF | ROUTE_API},
        {"GET", "/api/v1/scripts", api_scripts_list, STAFF, ROUTE_NO_CSRF | ROUTE_API},
        {"POST", "/api/v1/scripts", api_scripts_add, EDITORS, ROUTE_CSRF | ROUTE_API},
        {"GET", "/api/v1/scripts/{id}", api_script_versions, STAFF, ROUTE_NO_CSRF | ROUTE_API},
        {"POST", "/api/v1/scripts/{id}/versions", api_script_version_new, EDITORS,
         ROUTE_CSRF | ROUTE_API},
        {"GET", "/api/v1/scripts/{id}/versions/{n}", api_script_version, STAFF,
         ROUTE_NO_CSRF | ROUTE_API},
        {"PUT", "/api/v1/scripts/{id}/versions/{n}", api_script_version_put, EDITORS,
         ROUTE_CSRF | ROUTE_API},
        {"POST", "/api/v1/scripts/{id}/versions/{n}/status", api_script_status, EDITORS,
         ROUTE_CSRF | ROUTE_API},
        {"GET", "/api/v1/scripts/{id}/versions/{n}/lint", api_script_lint, STAFF,
         ROUTE_NO_CSRF | ROUTE_API},
        {"POST", "/api/v1/scripts/{id}/versions/{n}/check", api_script_check, STAFF,
         ROUTE_CSRF | ROUTE_API},
        {"GET", "/api/v1/collections", api_collections_list, STAFF, ROUTE_NO_CSRF | ROUTE_API},
        {"POST", "/api/v1/collections", api_collections_add, EDITORS, ROUTE_CSRF | ROUTE_API},
        {"POST", "/api/v1/collections/{id}/close", api_collection_close, EDITORS,
         ROUTE_CSRF | ROUTE_API | ROUTE_COLLECTION},
        {"GET", "/api/v1/methods", api_methods_list, STAFF, ROUTE_NO_CSRF | ROUTE_API},
        {"GET", "/api/v1/methods/{id}", api_method, STAFF, ROUTE_NO_CSRF | ROUTE_API},
        /* The pattern engine (api_analysis.c, docs/analysis.md). */
        {"GET", "/api/v1/collections/{id}/analysis", api_analysis_questions, STAFF,
         ROUTE_NO_CSRF | ROUTE_API | ROUTE_COLLECTION},
        {"GET", "/api/v1/collections/{id}/analysis/{measure}", api_analysis, STAFF,
         ROUTE_NO_CSRF | ROUTE_API | ROUTE_COLLECTION},
        {"GET", "/api/v1/collections/{id}/analysis/{measure}/{q}", api_analysis_q, STAFF,
         ROUTE_NO_CSRF | ROUTE_API | ROUTE_COLLECTION},
        {"GET", "/api/v1/collections/{id}/analysis/{measure}/{q}/{q2}", api_analysis_q2, STAFF,
         ROUTE_NO_CSRF | ROUTE_API | ROUTE_COLLECTION},
        /* Full-text search (api_search.c): each story returned is logged. */
        {"GET", "/api/v1/collections/{id}/search", api_search, STAFF,
         ROUTE_NO_CSRF | ROUTE_API | ROUTE_COLLECTION},
        {"GET", "/api/v1/trajectories/{id}/search", api_trajectory_search, STAFF,
         ROUTE_NO_CSRF | ROUTE_API | ROUTE_TRAJECTORY},
        /* Keyness (api_keyness.c): words and counts, like the analysis API. */
        {"GET", "/api/v1/collections/{id}/keyness", api_keyness, STAFF,
         ROUTE_NO_CSRF | ROUTE_API | ROUTE_COLLECTION},
        {"GET", "/api/v1/trajectories/{id}/keyness", api_trajectory_keyness, STAFF,
         ROUTE_NO_CSRF | ROUTE_API | ROUTE_TRAJECTORY},
        {"GET", "/api/v1/trajectories/{id}/analysis", api_trajectory_analysis_questions, STAFF,
         ROUTE_NO_CSRF | ROUTE_API | ROUTE_TRAJECTORY},
        {"GET", "/api/v1/trajectories/{id}/analysis/{measure}", api_trajectory_analysis, STAFF,
         ROUTE_NO_CSRF | ROUTE_API | ROUTE_TRAJECTORY},
        {"GET", "/api/v1/trajectories/{id}/analysis/{measure}/{q}", api_trajectory_analysis_q,
         STAFF, ROUTE_NO_CSRF | ROUTE_API | ROUTE_TRAJECTORY},
        {"GET", "/api/v1/trajectories/{id}/analysis/{measure}/{q}/{q2}", api_trajectory_analysis_q2,
         STAFF, ROUTE_NO_CSRF | ROUTE_API | ROUTE_TRAJECTORY},
        /* Themes (api_themes.c, docs/analysis.md "Themes"). */
        {"GET", "/api/v1/collections/{id}/themes", api_themes, STAFF,
         ROUTE_NO_CSRF | ROUTE_API | ROUTE_COLLECTION},
        {"GET", "/api/v1/trajectories/{id}/themes", api_trajectory_themes, STAFF,
         ROUTE_NO_CSRF | ROUTE_API | ROUTE_TRAJECTORY},
        {"POST", "/api/v1/collections/{token}/stories", api_story_add, ROLE_PUBLIC,
         ROUTE_OPEN_POST | ROUTE_API},
        {"POST", "/api/v1/uploads", api_uploads_add, STAFF, ROUTE_CSRF | ROUTE_API | ROUTE_UPLOAD},
        {"GET", "/uploads/{token}", page_upload, ROLE_PUBLIC, ROUTE_NO_CSRF},
};
const size_t routes_count = sizeof routes / sizeof routes[0];

/* Matches pattern against path segment by segment; {x} takes one segment. */
static int match(struct req *r, const char *pattern, const char *path)
{
	int np = 0;
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (*p == '{') {
			const char *close = strchr(p, '}');
			const char *end = strchr(s, '/');
			size_t n = end ? (size_t)(end - s) : strlen(s);
			if (!close || n == 0 || np >= REQ_MAX_PARAMS)
				return 0;
			if (r)
				r->params[np] = arena_strndup(r->a, s, n);
			np++;
			p = close + 1;
			s += n;
			continue;
		}
		if (*p != *s)
			return 0;
		p++, s++;
	}
	if (*p || *s)
		return 0;
	if (r)
		r->nparams = np;
	return 1;
}

enum route_result route_match(struct req *r, const char *method, const char *path, buf *allow)
{
	int path_seen = 0;
	if (strcmp(method, "HEAD") == 0)
		method = "GET";
	for (size_t i = 0; i < routes_count; i++) {
		const struct route *rt = &routes[i];
		if (!match(NULL, rt->path, path))
			continue;
		if (strcmp(rt->method, method) == 0) {
			match(r, rt->path, path);
			r->route = rt;
			return ROUTE_FOUND;
		}
		if (allow) {
			if (path_seen)
				buf_puts(allow, ", ");
			buf_puts(allow, rt->method);
			if (strcmp(rt->method, "GET") == 0)
				buf_puts(allow, ", HEAD");
		}
		path_seen = 1;
	}
	return path_seen ? ROUTE_BAD_METHOD : ROUTE_NOT_FOUND;
}

int route_exists(const char *method, const char *path)
{
	for (size_t i = 0; i < routes_count; i++)
		if (strcmp(routes[i].method, method) == 0 && match(NULL, routes[i].path, path))
			return 1;
	return 0;
}

int route_allows(struct req *r, const char *method, const char *path)
{
	if (!r->logged_in)
		return 0;
	for (size_t i = 0; i < routes_count; i++)
		if (strcmp(routes[i].method, method) == 0 && strcmp(routes[i].path, path) == 0)
			return (routes[i].roles & r->sess.user.role) != 0;
	return 0;
}
