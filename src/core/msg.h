/* msg.h: marks user-facing English message ids outside the web layer for extraction. */
#ifndef VP_MSG_H
#define VP_MSG_H

/* N_("text") is "text"; xgettext collects it into po/vertelpunt.pot so the
 * web layer can translate it with T() later. */
#ifndef N_
#define N_(s) s
#endif

#endif
