#ifndef VP_TESTS_TOPICS_H
#define VP_TESTS_TOPICS_H
/* The planted topics of the theme tests (unit and HTTP): three topics
 * (the regional taxi, the waiting list, home cleaning) of five sentences
 * each, and three sentences any story could have. Story j of topic t is
 * topic_text: two of its topic's sentences, different ones for successive
 * j. */

#include <stdio.h>

enum { TOPICS = 3 };

static const char *const topic_sentences[TOPICS][5] = {
        {"De regiotaxi kwam te laat.", "De chauffeur van de taxi wist de weg niet.",
         "Met de regiotaxi naar het ziekenhuis duurt lang.",
         "De taxi moet ik een dag eerder bellen.",
         "De chauffeur van de regiotaxi was vriendelijk."},
        {"Ik sta maanden op de wachtlijst.", "De indicatie kwam na vier maanden.",
         "De wachtlijst voor een indicatie is lang.", "Na maanden wachten kwam de indicatie.",
         "Over de wachtlijst hoorde ik maanden niets."},
        {"De schoonmaakster komt maar twee uur.", "Stofzuigen lukt mij niet meer.",
         "Het stof blijft liggen, de schoonmaakster is ziek.",
         "Stofzuigen doet de schoonmaakster niet goed.", "Een andere schoonmaakster, weer stof."},
};
static const char *const topic_shared[] = {"Dat vind ik jammer.", "Ik hoop dat het beter wordt.",
                                           "Zo gaat het nu."};

/* Two sentences of topic t for its j-th story, into out; with_shared:
 * and a sentence any story could have after them. */
static inline void topic_text(char *out, size_t cap, int t, int j, int with_shared)
{
	snprintf(out, cap, "%s %s%s%s", topic_sentences[t][j % 5],
	         topic_sentences[t][(j / 5 + j % 5 + 1) % 5], with_shared ? " " : "",
	         with_shared ? topic_shared[j % 3] : "");
}

#endif
