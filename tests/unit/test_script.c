/* test_script.c: tests of model/script.c, from docs/formats.md and script.h. */
#include "testutil.h"

#include "core/buf.h"
#include "model/script.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Test JSON is written with single quotes so it reads like the format;
 * dq turns them into double quotes (no text here has an apostrophe; a
 * JSON \" is written \'). The caller frees the result. */
static char *dq(const char *s)
{
	char *r = strdup(s);
	assert_non_null(r);
	for (char *p = r; *p; p++)
		if (*p == '\'')
			*p = '"';
	return r;
}

static struct script *parse_sq(const char *sq, char *err, size_t errlen)
{
	char *t = dq(sq);
	struct script *s = script_parse_text(t, strlen(t), err, errlen);
	free(t);
	return s;
}

/* Parses a script that must be valid. */
static struct script *must_parse(const char *sq)
{
	char err[512] = "";
	struct script *s = parse_sq(sq, err, sizeof err);
	if (!s)
		fail_msg("refused a valid script: %s", err);
	return s;
}

static int starts_with_place(const char *err, const char *place, size_t n)
{
	return strncmp(err, place, n) == 0 &&
	       (err[n] == ':' || err[n] == '.' || err[n] == '[' || err[n] == ' ');
}

/* The script must be refused; its message is left in err. */
static void refused_msg(const char *sq, char *err, size_t errlen)
{
	struct script *s = parse_sq(sq, err, errlen);
	if (s) {
		script_free(s);
		fail_msg("accepted, but should be refused: %s", sq);
	}
}

/* The script must be refused, with a message that starts with place and
 * then ':' or a deeper step of the place ('.', '[', " (id)"). place may list
 * alternatives separated by '|' where the document leaves the choice open. */
static void expect_refused(const char *sq, const char *place)
{
	char err[512] = "";
	struct script *s = parse_sq(sq, err, sizeof err);
	if (s) {
		script_free(s);
		fail_msg("accepted, but should be refused at %s", place);
	}
	for (const char *p = place;;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		if (starts_with_place(err, p, n))
			return;
		if (!bar)
			break;
		p = bar + 1;
	}
	fail_msg("message \"%s\" does not start with the place \"%s\"", err, place);
}

/* A one-section script around some questions. */
#define HEAD                                                                \
	"{'format':'vertelpunt-script/1','key':'t','title':{'nl':'Titel'}," \
	"'privacy':{'nl':'Alleen wij lezen dit.'},'sections':[{'id':'s1','questions':["
#define TAIL "]}]}"
#define QSTORY                                                                  \
	"{'id':'q-story','type':'story','text':{'nl':'Vertel over de buurt.'}," \
	"'prompts':[{'id':'p1','text':{'nl':'Een dag'}}]}"
#define OPTS_AB "'options':[{'id':'a','label':{'nl':'Ja'}},{'id':'b','label':{'nl':'Nee'}}]"

/* ---- a full script: every type, conditions, continues, both perspectives,
 * once_per_person, several languages. Written with keys out of order,
 * explicit defaults and English before Dutch, so that its canonical form
 * (CANONICAL below) differs from it. */
static const char FULL[] =
        "{'format':'vertelpunt-script/1',"
        "'title':{'en':'Stories from the neighbourhood','nl':'Verhalen uit de buurt'},"
        "'key':'buurt-2026','thanks':{'nl':'Dank u wel.'},"
        "'privacy':{'nl':'Alleen het team leest uw verhaal.','en':'Only the team reads your "
        "story.'},"
        "'introduction':{'nl':'Fijn dat u meedoet.','en':'Thank you for taking part.'},"
        "'sections':["
        /* section 0 */
        "{'questions':["
        "{'type':'story','id':'q-story','required':true,"
        "'text':{'en':'Tell about a moment in the neighbourhood.',"
        "'nl':'Vertel over een moment in de buurt.'},"
        "'help':{'nl':'Neem de tijd.'},'ask_title':false,"
        "'prompts':[{'text':{'nl':'Een goede dag','en':'A good day'},'id':'p-good'},"
        "{'id':'p-bad','text':{'nl':'Een slechte dag'}}],"
        "'perspective':'teller','once_per_person':false},"
        "{'id':'q-text','type':'text','max_length':3000,'long':true,"
        "'text':{'nl':'Wat wilt u nog kwijt?'},'not_applicable':false},"
        "{'id':'q-name','type':'text','text':{'nl':'Hoe noemt u uw buurt?'},'long':false,"
        "'max_length':80},"
        "{'id':'q-feel','type':'choice','text':{'nl':'Hoe voelde het?','en':'How did it feel?'},"
        "'other':{'nl':'Anders, namelijk'},'not_applicable':true,'required':true,"
        "'options':[{'id':'blij','label':{'en':'Happy','nl':'Blij'}},"
        "{'id':'boos','label':{'nl':'Boos'}},{'id':'bang','label':{'nl':'Bang'}}]},"
        "{'id':'q-who','type':'multi','max':2,'min':1,"
        "'options':[{'id':'buren','label':{'nl':'Buren'}},{'id':'familie','label':{'nl':'Familie'}}"
        ","
        "{'id':'gemeente','label':{'nl':'Gemeente'}}],"
        "'show_if':{'is':['boos','bang'],'question':'q-feel'},'text':{'nl':'Wie waren erbij?'}}"
        "],'title':{'fr':'Votre histoire','nl':'Uw verhaal'},'id':'s-story'},"
        /* section 1 */
        "{'id':'s-sign','questions':["
        "{'id':'q-safe','type':'scale','high':{'nl':'Veilig','en':'Safe'},'low':{'nl':'Onveilig'},"
        "'points':7,'text':{'nl':'Hoe veilig voelde u zich?'},"
        "'show_if':{'question':'q-who','is':['gemeente']}},"
        "{'id':'q-help','type':'dyad','poles':[{'id':'zelf','label':{'nl':'Ik zelf'}},"
        "{'id':'anderen','label':{'nl':'Anderen'}}],'show_if':{'question':'q-safe','is':[1,2,3]},"
        "'required':true,'text':{'nl':'Wie hielp het meest?'}},"
        "{'id':'q-why','type':'triad','text':{'nl':'Waar ging het om?'},"
        "'corners':[{'id':'geld','label':{'nl':'Geld'}},{'id':'tijd','label':{'nl':'Tijd'}},"
        "{'id':'mensen','label':{'nl':'Mensen'}}]},"
        "{'id':'q-stones','type':'stones','text':{'nl':'Leg de stenen neer.'},"
        "'y':{'high':{'nl':'Veel'},'low':{'nl':'Weinig'},'label':{'nl':'Invloed'}},"
        "'x':{'label':{'nl':'Belang'},'low':{'nl':'Laag'},'high':{'nl':'Hoog'}},"
        "'stones':[{'id':'huis','label':{'nl':'Huis'}},{'id':'park','label':{'nl':'Park'}}]}"
        "]},"
        /* section 2 */
        "{'id':'s-prof','title':{'nl':'Voor de professional'},'questions':["
        "{'id':'q-where','type':'pin','ask_note':false,'image':'abc123-kaart.png',"
        "'text':{'nl':'Waar gebeurde het?'}},"
        "{'id':'q-when','type':'date','max':'2026-12-31','min':'2020-01-01',"
        "'text':{'nl':'Wanneer gebeurde het?'}},"
        "{'id':'q-age','type':'number','integer':true,'max':120,'min':0,'once_per_person':true,"
        "'text':{'nl':'Hoe oud bent u?'}},"
        "{'id':'q-rate','type':'number','text':{'nl':'Hoeveel uur per week?'},'min':-1.5,"
        "'max':2.5,'integer':false},"
        "{'id':'q-prof','type':'choice','perspective':'professional','required':true,"
        "'text':{'nl':'Hoe verliep het gesprek?'},"
        "'options':[{'id':'goed','label':{'nl':'Goed'}},{'id':'matig','label':{'nl':'Matig'}}]},"
        "{'id':'q-now','type':'choice','text':{'nl':'Hoe voelt u zich nu?'},"
        "'options':[{'id':'fijn','label':{'nl':'Fijn'}},{'id':'naar','label':{'nl':'Naar'}}],"
        "'continues':{'question':'q-now-old','options':{'goed':'fijn','slecht':'naar'}}}"
        "]}"
        "]}";

/* The canonical form of FULL, written by hand from docs/formats.md: keys
 * in the order of the tables, defaults left out, Dutch first, two spaces
 * of indentation, a final newline. */
static const char CANONICAL[] = "{\n"
                                "  'format': 'vertelpunt-script/1',\n"
                                "  'key': 'buurt-2026',\n"
                                "  'title': {\n"
                                "    'nl': 'Verhalen uit de buurt',\n"
                                "    'en': 'Stories from the neighbourhood'\n"
                                "  },\n"
                                "  'introduction': {\n"
                                "    'nl': 'Fijn dat u meedoet.',\n"
                                "    'en': 'Thank you for taking part.'\n"
                                "  },\n"
                                "  'privacy': {\n"
                                "    'nl': 'Alleen het team leest uw verhaal.',\n"
                                "    'en': 'Only the team reads your story.'\n"
                                "  },\n"
                                "  'thanks': {\n"
                                "    'nl': 'Dank u wel.'\n"
                                "  },\n"
                                "  'sections': [\n"
                                "    {\n"
                                "      'id': 's-story',\n"
                                "      'title': {\n"
                                "        'nl': 'Uw verhaal',\n"
                                "        'fr': 'Votre histoire'\n"
                                "      },\n"
                                "      'questions': [\n"
                                "        {\n"
                                "          'id': 'q-story',\n"
                                "          'type': 'story',\n"
                                "          'text': {\n"
                                "            'nl': 'Vertel over een moment in de buurt.',\n"
                                "            'en': 'Tell about a moment in the neighbourhood.'\n"
                                "          },\n"
                                "          'help': {\n"
                                "            'nl': 'Neem de tijd.'\n"
                                "          },\n"
                                "          'required': true,\n"
                                "          'prompts': [\n"
                                "            {\n"
                                "              'id': 'p-good',\n"
                                "              'text': {\n"
                                "                'nl': 'Een goede dag',\n"
                                "                'en': 'A good day'\n"
                                "              }\n"
                                "            },\n"
                                "            {\n"
                                "              'id': 'p-bad',\n"
                                "              'text': {\n"
                                "                'nl': 'Een slechte dag'\n"
                                "              }\n"
                                "            }\n"
                                "          ],\n"
                                "          'ask_title': false\n"
                                "        },\n"
                                "        {\n"
                                "          'id': 'q-text',\n"
                                "          'type': 'text',\n"
                                "          'text': {\n"
                                "            'nl': 'Wat wilt u nog kwijt?'\n"
                                "          },\n"
                                "          'long': true,\n"
                                "          'max_length': 3000\n"
                                "        },\n"
                                "        {\n"
                                "          'id': 'q-name',\n"
                                "          'type': 'text',\n"
                                "          'text': {\n"
                                "            'nl': 'Hoe noemt u uw buurt?'\n"
                                "          },\n"
                                "          'max_length': 80\n"
                                "        },\n"
                                "        {\n"
                                "          'id': 'q-feel',\n"
                                "          'type': 'choice',\n"
                                "          'text': {\n"
                                "            'nl': 'Hoe voelde het?',\n"
                                "            'en': 'How did it feel?'\n"
                                "          },\n"
                                "          'required': true,\n"
                                "          'not_applicable': true,\n"
                                "          'options': [\n"
                                "            {\n"
                                "              'id': 'blij',\n"
                                "              'label': {\n"
                                "                'nl': 'Blij',\n"
                                "                'en': 'Happy'\n"
                                "              }\n"
                                "            },\n"
                                "            {\n"
                                "              'id': 'boos',\n"
                                "              'label': {\n"
                                "                'nl': 'Boos'\n"
                                "              }\n"
                                "            },\n"
                                "            {\n"
                                "              'id': 'bang',\n"
                                "              'label': {\n"
                                "                'nl': 'Bang'\n"
                                "              }\n"
                                "            }\n"
                                "          ],\n"
                                "          'other': {\n"
                                "            'nl': 'Anders, namelijk'\n"
                                "          }\n"
                                "        },\n"
                                "        {\n"
                                "          'id': 'q-who',\n"
                                "          'type': 'multi',\n"
                                "          'text': {\n"
                                "            'nl': 'Wie waren erbij?'\n"
                                "          },\n"
                                "          'show_if': {\n"
                                "            'question': 'q-feel',\n"
                                "            'is': [\n"
                                "              'boos',\n"
                                "              'bang'\n"
                                "            ]\n"
                                "          },\n"
                                "          'options': [\n"
                                "            {\n"
                                "              'id': 'buren',\n"
                                "              'label': {\n"
                                "                'nl': 'Buren'\n"
                                "              }\n"
                                "            },\n"
                                "            {\n"
                                "              'id': 'familie',\n"
                                "              'label': {\n"
                                "                'nl': 'Familie'\n"
                                "              }\n"
                                "            },\n"
                                "            {\n"
                                "              'id': 'gemeente',\n"
                                "              'label': {\n"
                                "                'nl': 'Gemeente'\n"
                                "              }\n"
                                "            }\n"
                                "          ],\n"
                                "          'min': 1,\n"
                                "          'max': 2\n"
                                "        }\n"
                                "      ]\n"
                                "    },\n"
                                "    {\n"
                                "      'id': 's-sign',\n"
                                "      'questions': [\n"
                                "        {\n"
                                "          'id': 'q-safe',\n"
                                "          'type': 'scale',\n"
                                "          'text': {\n"
                                "            'nl': 'Hoe veilig voelde u zich?'\n"
                                "          },\n"
                                "          'show_if': {\n"
                                "            'question': 'q-who',\n"
                                "            'is': [\n"
                                "              'gemeente'\n"
                                "            ]\n"
                                "          },\n"
                                "          'points': 7,\n"
                                "          'low': {\n"
                                "            'nl': 'Onveilig'\n"
                                "          },\n"
                                "          'high': {\n"
                                "            'nl': 'Veilig',\n"
                                "            'en': 'Safe'\n"
                                "          }\n"
                                "        },\n"
                                "        {\n"
                                "          'id': 'q-help',\n"
                                "          'type': 'dyad',\n"
                                "          'text': {\n"
                                "            'nl': 'Wie hielp het meest?'\n"
                                "          },\n"
                                "          'required': true,\n"
                                "          'show_if': {\n"
                                "            'question': 'q-safe',\n"
                                "            'is': [\n"
                                "              1,\n"
                                "              2,\n"
                                "              3\n"
                                "            ]\n"
                                "          },\n"
                                "          'poles': [\n"
                                "            {\n"
                                "              'id': 'zelf',\n"
                                "              'label': {\n"
                                "                'nl': 'Ik zelf'\n"
                                "              }\n"
                                "            },\n"
                                "            {\n"
                                "              'id': 'anderen',\n"
                                "              'label': {\n"
                                "                'nl': 'Anderen'\n"
                                "              }\n"
                                "            }\n"
                                "          ]\n"
                                "        },\n"
                                "        {\n"
                                "          'id': 'q-why',\n"
                                "          'type': 'triad',\n"
                                "          'text': {\n"
                                "            'nl': 'Waar ging het om?'\n"
                                "          },\n"
                                "          'corners': [\n"
                                "            {\n"
                                "              'id': 'geld',\n"
                                "              'label': {\n"
                                "                'nl': 'Geld'\n"
                                "              }\n"
                                "            },\n"
                                "            {\n"
                                "              'id': 'tijd',\n"
                                "              'label': {\n"
                                "                'nl': 'Tijd'\n"
                                "              }\n"
                                "            },\n"
                                "            {\n"
                                "              'id': 'mensen',\n"
                                "              'label': {\n"
                                "                'nl': 'Mensen'\n"
                                "              }\n"
                                "            }\n"
                                "          ]\n"
                                "        },\n"
                                "        {\n"
                                "          'id': 'q-stones',\n"
                                "          'type': 'stones',\n"
                                "          'text': {\n"
                                "            'nl': 'Leg de stenen neer.'\n"
                                "          },\n"
                                "          'stones': [\n"
                                "            {\n"
                                "              'id': 'huis',\n"
                                "              'label': {\n"
                                "                'nl': 'Huis'\n"
                                "              }\n"
                                "            },\n"
                                "            {\n"
                                "              'id': 'park',\n"
                                "              'label': {\n"
                                "                'nl': 'Park'\n"
                                "              }\n"
                                "            }\n"
                                "          ],\n"
                                "          'x': {\n"
                                "            'label': {\n"
                                "              'nl': 'Belang'\n"
                                "            },\n"
                                "            'low': {\n"
                                "              'nl': 'Laag'\n"
                                "            },\n"
                                "            'high': {\n"
                                "              'nl': 'Hoog'\n"
                                "            }\n"
                                "          },\n"
                                "          'y': {\n"
                                "            'label': {\n"
                                "              'nl': 'Invloed'\n"
                                "            },\n"
                                "            'low': {\n"
                                "              'nl': 'Weinig'\n"
                                "            },\n"
                                "            'high': {\n"
                                "              'nl': 'Veel'\n"
                                "            }\n"
                                "          }\n"
                                "        }\n"
                                "      ]\n"
                                "    },\n"
                                "    {\n"
                                "      'id': 's-prof',\n"
                                "      'title': {\n"
                                "        'nl': 'Voor de professional'\n"
                                "      },\n"
                                "      'questions': [\n"
                                "        {\n"
                                "          'id': 'q-where',\n"
                                "          'type': 'pin',\n"
                                "          'text': {\n"
                                "            'nl': 'Waar gebeurde het?'\n"
                                "          },\n"
                                "          'image': 'abc123-kaart.png',\n"
                                "          'ask_note': false\n"
                                "        },\n"
                                "        {\n"
                                "          'id': 'q-when',\n"
                                "          'type': 'date',\n"
                                "          'text': {\n"
                                "            'nl': 'Wanneer gebeurde het?'\n"
                                "          },\n"
                                "          'min': '2020-01-01',\n"
                                "          'max': '2026-12-31'\n"
                                "        },\n"
                                "        {\n"
                                "          'id': 'q-age',\n"
                                "          'type': 'number',\n"
                                "          'text': {\n"
                                "            'nl': 'Hoe oud bent u?'\n"
                                "          },\n"
                                "          'once_per_person': true,\n"
                                "          'min': 0,\n"
                                "          'max': 120,\n"
                                "          'integer': true\n"
                                "        },\n"
                                "        {\n"
                                "          'id': 'q-rate',\n"
                                "          'type': 'number',\n"
                                "          'text': {\n"
                                "            'nl': 'Hoeveel uur per week?'\n"
                                "          },\n"
                                "          'min': -1.5,\n"
                                "          'max': 2.5\n"
                                "        },\n"
                                "        {\n"
                                "          'id': 'q-prof',\n"
                                "          'type': 'choice',\n"
                                "          'text': {\n"
                                "            'nl': 'Hoe verliep het gesprek?'\n"
                                "          },\n"
                                "          'required': true,\n"
                                "          'perspective': 'professional',\n"
                                "          'options': [\n"
                                "            {\n"
                                "              'id': 'goed',\n"
                                "              'label': {\n"
                                "                'nl': 'Goed'\n"
                                "              }\n"
                                "            },\n"
                                "            {\n"
                                "              'id': 'matig',\n"
                                "              'label': {\n"
                                "                'nl': 'Matig'\n"
                                "              }\n"
                                "            }\n"
                                "          ]\n"
                                "        },\n"
                                "        {\n"
                                "          'id': 'q-now',\n"
                                "          'type': 'choice',\n"
                                "          'text': {\n"
                                "            'nl': 'Hoe voelt u zich nu?'\n"
                                "          },\n"
                                "          'continues': {\n"
                                "            'question': 'q-now-old',\n"
                                "            'options': {\n"
                                "              'goed': 'fijn',\n"
                                "              'slecht': 'naar'\n"
                                "            }\n"
                                "          },\n"
                                "          'options': [\n"
                                "            {\n"
                                "              'id': 'fijn',\n"
                                "              'label': {\n"
                                "                'nl': 'Fijn'\n"
                                "              }\n"
                                "            },\n"
                                "            {\n"
                                "              'id': 'naar',\n"
                                "              'label': {\n"
                                "                'nl': 'Naar'\n"
                                "              }\n"
                                "            }\n"
                                "          ]\n"
                                "        }\n"
                                "      ]\n"
                                "    }\n"
                                "  ]\n"
                                "}\n";

/* Every default written out explicitly ... */
static const char DEFAULTS[] =
        "{'format':'vertelpunt-script/1','key':'kort','title':{'nl':'Kort'},"
        "'privacy':{'nl':'Alleen wij lezen dit.'},'sections':[{'id':'s1','questions':["
        "{'id':'q1','type':'story','text':{'nl':'Vertel.'},'required':false,"
        "'not_applicable':false,'perspective':'teller','once_per_person':false,"
        "'prompts':[{'id':'p1','text':{'nl':'Iets'}}],'ask_title':true},"
        "{'id':'q2','type':'text','text':{'nl':'Kort?'},'long':false,'max_length':500},"
        "{'id':'q3','type':'text','text':{'nl':'Lang?'},'long':true,'max_length':20000},"
        "{'id':'q4','type':'multi','text':{'nl':'Welke?'},'options':[{'id':'a','label':{'nl':'A'}},"
        "{'id':'b','label':{'nl':'B'}},{'id':'c','label':{'nl':'C'}}],'min':0,'max':3},"
        "{'id':'q5','type':'pin','text':{'nl':'Waar?'},'image':'kaart','ask_note':true},"
        "{'id':'q6','type':'number','text':{'nl':'Hoeveel?'},'integer':false},"
        "{'id':'q7','type':'date','text':{'nl':'Wanneer?'}}"
        "]}]}";
/* ... and left out, as the writer must write it. */
static const char DEFAULTS_CANONICAL[] = "{\n"
                                         "  'format': 'vertelpunt-script/1',\n"
                                         "  'key': 'kort',\n"
                                         "  'title': {\n"
                                         "    'nl': 'Kort'\n"
                                         "  },\n"
                                         "  'privacy': {\n"
                                         "    'nl': 'Alleen wij lezen dit.'\n"
                                         "  },\n"
                                         "  'sections': [\n"
                                         "    {\n"
                                         "      'id': 's1',\n"
                                         "      'questions': [\n"
                                         "        {\n"
                                         "          'id': 'q1',\n"
                                         "          'type': 'story',\n"
                                         "          'text': {\n"
                                         "            'nl': 'Vertel.'\n"
                                         "          },\n"
                                         "          'prompts': [\n"
                                         "            {\n"
                                         "              'id': 'p1',\n"
                                         "              'text': {\n"
                                         "                'nl': 'Iets'\n"
                                         "              }\n"
                                         "            }\n"
                                         "          ]\n"
                                         "        },\n"
                                         "        {\n"
                                         "          'id': 'q2',\n"
                                         "          'type': 'text',\n"
                                         "          'text': {\n"
                                         "            'nl': 'Kort?'\n"
                                         "          }\n"
                                         "        },\n"
                                         "        {\n"
                                         "          'id': 'q3',\n"
                                         "          'type': 'text',\n"
                                         "          'text': {\n"
                                         "            'nl': 'Lang?'\n"
                                         "          },\n"
                                         "          'long': true\n"
                                         "        },\n"
                                         "        {\n"
                                         "          'id': 'q4',\n"
                                         "          'type': 'multi',\n"
                                         "          'text': {\n"
                                         "            'nl': 'Welke?'\n"
                                         "          },\n"
                                         "          'options': [\n"
                                         "            {\n"
                                         "              'id': 'a',\n"
                                         "              'label': {\n"
                                         "                'nl': 'A'\n"
                                         "              }\n"
                                         "            },\n"
                                         "            {\n"
                                         "              'id': 'b',\n"
                                         "              'label': {\n"
                                         "                'nl': 'B'\n"
                                         "              }\n"
                                         "            },\n"
                                         "            {\n"
                                         "              'id': 'c',\n"
                                         "              'label': {\n"
                                         "                'nl': 'C'\n"
                                         "              }\n"
                                         "            }\n"
                                         "          ]\n"
                                         "        },\n"
                                         "        {\n"
                                         "          'id': 'q5',\n"
                                         "          'type': 'pin',\n"
                                         "          'text': {\n"
                                         "            'nl': 'Waar?'\n"
                                         "          },\n"
                                         "          'image': 'kaart'\n"
                                         "        },\n"
                                         "        {\n"
                                         "          'id': 'q6',\n"
                                         "          'type': 'number',\n"
                                         "          'text': {\n"
                                         "            'nl': 'Hoeveel?'\n"
                                         "          }\n"
                                         "        },\n"
                                         "        {\n"
                                         "          'id': 'q7',\n"
                                         "          'type': 'date',\n"
                                         "          'text': {\n"
                                         "            'nl': 'Wanneer?'\n"
                                         "          }\n"
                                         "        }\n"
                                         "      ]\n"
                                         "    }\n"
                                         "  ]\n"
                                         "}\n";

/* ---- parsing ------------------------------------------------------------ */

static void expect_ltext(const struct ltext *t, const char *nl, const char *en)
{
	assert_true(t->n >= 1);
	/* "nl is kept first" (script.h, nl always present) */
	assert_string_equal(t->lang[0], "nl");
	assert_string_equal(t->s[0], nl);
	assert_string_equal(ltext_get(t, "nl"), nl);
	if (en) {
		assert_int_equal(t->n, 2);
		assert_string_equal(t->lang[1], "en");
		assert_string_equal(ltext_get(t, "en"), en);
	} else {
		assert_int_equal(t->n, 1);
		assert_string_equal(ltext_get(t, "en"), nl); /* falls back to Dutch */
	}
}

static void test_type_names(void **state)
{
	static const char *const names[] = {"story", "text",   "choice", "multi", "scale", "dyad",
	                                    "triad", "stones", "pin",    "date",  "number"};
	assert_int_equal(sizeof names / sizeof names[0], Q_TYPE_COUNT);
	for (int i = 0; i < Q_TYPE_COUNT; i++) {
		assert_string_equal(q_type_name((enum q_type)i), names[i]);
		assert_int_equal(q_type_parse(names[i]), i);
	}
	assert_int_equal(q_type_parse("slider"), -1);
	assert_int_equal(q_type_parse("Story"), -1);
	assert_int_equal(q_type_parse(""), -1);
	int sig[Q_TYPE_COUNT] = {0};
	sig[Q_CHOICE] = sig[Q_MULTI] = sig[Q_SCALE] = sig[Q_DYAD] = sig[Q_TRIAD] = sig[Q_STONES] =
	        1;
	for (int i = 0; i < Q_TYPE_COUNT; i++)
		assert_int_equal(!!q_type_signifies((enum q_type)i), sig[i]);
}

static void test_parse_full(void **state)
{
	struct script *s = must_parse(FULL);
	assert_string_equal(s->key, "buurt-2026");
	expect_ltext(&s->title, "Verhalen uit de buurt", "Stories from the neighbourhood");
	expect_ltext(&s->introduction, "Fijn dat u meedoet.", "Thank you for taking part.");
	expect_ltext(&s->privacy, "Alleen het team leest uw verhaal.",
	             "Only the team reads your story.");
	expect_ltext(&s->thanks, "Dank u wel.", NULL);
	assert_string_equal(ltext_get(&s->title, "de"), "Verhalen uit de buurt");
	assert_string_equal(ltext_get(&s->title, NULL), "Verhalen uit de buurt");

	/* every language used, nl first */
	assert_int_equal(s->nlangs, 3);
	assert_string_equal(s->langs[0], "nl");
	int en = 0, fr = 0;
	for (int i = 0; i < s->nlangs; i++) {
		en += strcmp(s->langs[i], "en") == 0;
		fr += strcmp(s->langs[i], "fr") == 0;
	}
	assert_int_equal(en, 1);
	assert_int_equal(fr, 1);

	assert_int_equal(s->nsections, 3);
	assert_string_equal(s->sections[0].id, "s-story");
	assert_int_equal(s->sections[0].title.n, 2);
	assert_string_equal(ltext_get(&s->sections[0].title, "fr"), "Votre histoire");
	assert_string_equal(ltext_get(&s->sections[0].title, "en"), "Uw verhaal");
	assert_string_equal(s->sections[1].id, "s-sign");
	assert_int_equal(s->sections[1].title.n, 0);
	assert_string_equal(ltext_get(&s->sections[1].title, "nl"), "");
	assert_int_equal(s->sections[0].nquestions, 5);
	assert_int_equal(s->sections[1].nquestions, 4);
	assert_int_equal(s->sections[2].nquestions, 6);

	/* all questions in order, with their index in the whole script */
	static const char *const ids[] = {"q-story", "q-text", "q-name", "q-feel",   "q-who",
	                                  "q-safe",  "q-help", "q-why",  "q-stones", "q-where",
	                                  "q-when",  "q-age",  "q-rate", "q-prof",   "q-now"};
	static const enum q_type types[] = {Q_STORY, Q_TEXT,   Q_TEXT,   Q_CHOICE, Q_MULTI,
	                                    Q_SCALE, Q_DYAD,   Q_TRIAD,  Q_STONES, Q_PIN,
	                                    Q_DATE,  Q_NUMBER, Q_NUMBER, Q_CHOICE, Q_CHOICE};
	assert_int_equal(s->nquestions, 15);
	for (int i = 0; i < s->nquestions; i++) {
		assert_string_equal(s->questions[i]->id, ids[i]);
		assert_int_equal(s->questions[i]->type, types[i]);
		assert_int_equal(s->questions[i]->index, i);
		assert_ptr_equal(script_question(s, ids[i]), s->questions[i]);
	}
	assert_ptr_equal(s->questions[5], &s->sections[1].questions[0]);
	assert_null(script_question(s, "q-none"));
	assert_null(script_question(s, "s-story"));

	const struct question *q = script_question(s, "q-story");
	expect_ltext(&q->text, "Vertel over een moment in de buurt.",
	             "Tell about a moment in the neighbourhood.");
	expect_ltext(&q->help, "Neem de tijd.", NULL);
	assert_true(q->required);
	assert_false(q->not_applicable);
	assert_false(q->once_per_person);
	assert_int_equal(q->perspective, PERSPECTIVE_TELLER);
	assert_false(q->ask_title);
	assert_int_equal(q->noptions, 2);
	assert_string_equal(q->options[0].id, "p-good");
	expect_ltext(&q->options[0].label, "Een goede dag", "A good day");
	assert_string_equal(q->options[1].id, "p-bad");
	expect_ltext(&q->options[1].label, "Een slechte dag", NULL);
	assert_null(q->show_if_question);
	assert_null(q->continues_question);

	q = script_question(s, "q-text");
	assert_true(q->long_text);
	assert_int_equal(q->max_length, 3000);
	assert_int_equal(q->help.n, 0);
	assert_false(q->required);
	q = script_question(s, "q-name");
	assert_false(q->long_text);
	assert_int_equal(q->max_length, 80);

	q = script_question(s, "q-feel");
	assert_true(q->required);
	assert_true(q->not_applicable);
	assert_int_equal(q->noptions, 3);
	assert_string_equal(q->options[0].id, "blij");
	expect_ltext(&q->options[0].label, "Blij", "Happy");
	assert_string_equal(q->options[2].id, "bang");
	expect_ltext(&q->other, "Anders, namelijk", NULL);

	q = script_question(s, "q-who");
	assert_int_equal(q->min, 1);
	assert_int_equal(q->max, 2);
	assert_int_equal(q->other.n, 0);
	assert_string_equal(q->show_if_question, "q-feel");
	assert_int_equal(q->show_if_count, 2);
	assert_string_equal(q->show_if_values[0], "boos");
	assert_string_equal(q->show_if_values[1], "bang");

	q = script_question(s, "q-safe");
	assert_int_equal(q->points, 7);
	expect_ltext(&q->low, "Onveilig", NULL);
	expect_ltext(&q->high, "Veilig", "Safe");
	assert_string_equal(q->show_if_question, "q-who"); /* a condition on a multi */
	assert_int_equal(q->show_if_count, 1);
	assert_string_equal(q->show_if_values[0], "gemeente");

	q = script_question(s, "q-help");
	assert_int_equal(q->noptions, 2);
	assert_string_equal(q->options[0].id, "zelf");
	assert_string_equal(q->options[1].id, "anderen");
	expect_ltext(&q->options[1].label, "Anderen", NULL);
	assert_string_equal(q->show_if_question, "q-safe"); /* a condition on a scale */
	assert_int_equal(q->show_if_count, 3);
	assert_string_equal(q->show_if_values[0], "1");
	assert_string_equal(q->show_if_values[2], "3");

	q = script_question(s, "q-why");
	assert_int_equal(q->noptions, 3);
	assert_string_equal(q->options[0].id, "geld");
	assert_string_equal(q->options[1].id, "tijd");
	assert_string_equal(q->options[2].id, "mensen");

	q = script_question(s, "q-stones");
	assert_int_equal(q->noptions, 2);
	assert_string_equal(q->options[1].id, "park");
	expect_ltext(&q->x.label, "Belang", NULL);
	expect_ltext(&q->x.low, "Laag", NULL);
	expect_ltext(&q->x.high, "Hoog", NULL);
	expect_ltext(&q->y.label, "Invloed", NULL);
	expect_ltext(&q->y.low, "Weinig", NULL);
	expect_ltext(&q->y.high, "Veel", NULL);

	q = script_question(s, "q-where");
	assert_string_equal(q->image, "abc123-kaart.png");
	assert_false(q->ask_note);

	q = script_question(s, "q-when");
	assert_string_equal(q->date_min, "2020-01-01");
	assert_string_equal(q->date_max, "2026-12-31");

	q = script_question(s, "q-age");
	assert_true(q->once_per_person);
	assert_true(q->integer);
	assert_true(q->has_min);
	assert_true(q->has_max);
	assert_true(q->num_min == 0.0);
	assert_true(q->num_max == 120.0);
	q = script_question(s, "q-rate");
	assert_false(q->integer);
	assert_true(q->num_min == -1.5);
	assert_true(q->num_max == 2.5);

	q = script_question(s, "q-prof");
	assert_int_equal(q->perspective, PERSPECTIVE_PROFESSIONAL);
	assert_true(q->required);

	q = script_question(s, "q-now");
	assert_string_equal(q->continues_question, "q-now-old");
	assert_int_equal(q->continues_count, 2);
	for (int i = 0; i < 2; i++) {
		const char *o = q->continues_old[i], *n = q->continues_new[i];
		if (strcmp(o, "goed") == 0)
			assert_string_equal(n, "fijn");
		else if (strcmp(o, "slecht") == 0)
			assert_string_equal(n, "naar");
		else
			fail_msg("unexpected continues entry %s", o);
	}
	script_free(s);
}

static void test_parse_defaults(void **state)
{
	struct script *s = must_parse(
	        HEAD QSTORY ",{'id':'q2','type':'text','text':{'nl':'Kort?'}}"
	                    ",{'id':'q3','type':'text','text':{'nl':'Lang?'},'long':true}"
	                    ",{'id':'q4','type':'multi','text':{'nl':'Welke?'}," OPTS_AB "}"
	                    ",{'id':'q5','type':'pin','text':{'nl':'Waar?'},'image':'k'}"
	                    ",{'id':'q6','type':'number','text':{'nl':'Hoeveel?'}}"
	                    ",{'id':'q7','type':'date','text':{'nl':'Wanneer?'}}" TAIL);
	const struct question *q = script_question(s, "q-story");
	assert_false(q->required);
	assert_false(q->not_applicable);
	assert_false(q->once_per_person);
	assert_int_equal(q->perspective, PERSPECTIVE_TELLER);
	assert_true(q->ask_title);
	assert_int_equal(q->help.n, 0);
	assert_int_equal(s->introduction.n, 0);
	assert_int_equal(s->thanks.n, 0);
	assert_int_equal(s->nlangs, 1);
	assert_string_equal(s->langs[0], "nl");
	assert_int_equal(script_question(s, "q2")->max_length, 500);
	assert_int_equal(script_question(s, "q3")->max_length, 20000);
	q = script_question(s, "q4");
	assert_int_equal(q->min, 0);
	assert_int_equal(q->max, 2); /* the number of options */
	assert_int_equal(q->other.n, 0);
	assert_true(script_question(s, "q5")->ask_note);
	q = script_question(s, "q6");
	assert_false(q->has_min);
	assert_false(q->has_max);
	assert_false(q->integer);
	q = script_question(s, "q7");
	assert_null(q->date_min);
	assert_null(q->date_max);
	script_free(s);
}

/* Ids of 64 characters and 2- and 3-letter language codes are fine. */
static void test_parse_limits(void **state)
{
	char id64[65];
	memset(id64, 'a', 64);
	id64[64] = 0;
	memcpy(id64, "A_b-1.", 6); /* letters, digits, '-', '_' and '.' */
	char key64[65];
	memset(key64, 'k', 64);
	key64[64] = 0;
	buf b;
	buf_init(&b);
	buf_printf(
	        &b,
	        "{'format':'vertelpunt-script/1','key':'%s','title':{'nl':'T','fy':'T','pap':'T'},"
	        "'privacy':{'nl':'P'},'sections':[{'id':'%s','questions':[{'id':'%s',"
	        "'type':'choice','text':{'nl':'V'},'options':[{'id':'%s','label':{'nl':'A'}},"
	        "{'id':'0','label':{'nl':'B'}}]}]}]}",
	        key64, id64, id64, id64);
	struct script *s = must_parse(b.data);
	assert_string_equal(s->key, key64);
	assert_string_equal(s->questions[0]->id, id64);
	assert_string_equal(s->questions[0]->options[0].id, id64);
	assert_string_equal(ltext_get(&s->title, "pap"), "T");
	script_free(s);
	buf_free(&b);
}

/* ---- refusals: each names its place --------------------------------------- */

static void test_refuse_json_and_top(void **state)
{
	char err[512] = "";
	const char *broken =
	        "{\n  \"format\": \"vertelpunt-script/1\",\n  \"key\": \"t\"\n  \"title\"";
	assert_null(script_parse_text(broken, strlen(broken), err, sizeof err));
	assert_non_null(strstr(err, "line 4")); /* the place in the text */

	const char *arr = "[1, 2]";
	err[0] = 0;
	assert_null(script_parse_text(arr, strlen(arr), err, sizeof err));
	assert_true(err[0] != 0);
	json_t *j = json_string("x");
	err[0] = 0;
	assert_null(script_parse(j, err, sizeof err));
	assert_true(err[0] != 0);
	json_decref(j);

	/* a duplicate key in an object is broken too (a strict reader) */
	err[0] = 0;
	assert_null(parse_sq(HEAD "{'id':'q1','type':'story','text':{'nl':'A'},'text':{'nl':'B'},"
	                          "'prompts':[{'id':'p1','text':{'nl':'Iets'}}]}" TAIL,
	                     err, sizeof err));
	assert_true(err[0] != 0);

	expect_refused("{'format':'vertelpunt-script/2','key':'t','title':{'nl':'T'},"
	               "'privacy':{'nl':'P'},'sections':[{'id':'s1','questions':[" QSTORY "]}]}",
	               "format");
	expect_refused("{'key':'t','title':{'nl':'T'},'privacy':{'nl':'P'},"
	               "'sections':[{'id':'s1','questions':[" QSTORY "]}]}",
	               "format");
	expect_refused("{'format':'vertelpunt-script/1','key':'t','title':{'nl':'T'},"
	               "'privacy':{'nl':'P'},'colour':'red',"
	               "'sections':[{'id':'s1','questions':[" QSTORY "]}]}",
	               "colour");
	/* key: a-z, 0-9, '-' */
	expect_refused("{'format':'vertelpunt-script/1','key':'Buurt','title':{'nl':'T'},"
	               "'privacy':{'nl':'P'},'sections':[{'id':'s1','questions':[" QSTORY "]}]}",
	               "key");
	expect_refused("{'format':'vertelpunt-script/1','key':'de_buurt','title':{'nl':'T'},"
	               "'privacy':{'nl':'P'},'sections':[{'id':'s1','questions':[" QSTORY "]}]}",
	               "key");
	buf b;
	buf_init(&b);
	buf_puts(&b, "{'format':'vertelpunt-script/1','key':'");
	for (int i = 0; i < 65; i++)
		buf_putc(&b, 'k');
	buf_puts(&b, "','title':{'nl':'T'},'privacy':{'nl':'P'},'sections':[{'id':'s1','questions':"
	             "[" QSTORY "]}]}");
	expect_refused(b.data, "key");
	buf_free(&b);
	/* required texts and at least one section */
	expect_refused("{'format':'vertelpunt-script/1','key':'t','privacy':{'nl':'P'},"
	               "'sections':[{'id':'s1','questions':[" QSTORY "]}]}",
	               "title");
	expect_refused("{'format':'vertelpunt-script/1','key':'t','title':{'nl':'T'},"
	               "'sections':[{'id':'s1','questions':[" QSTORY "]}]}",
	               "privacy");
	expect_refused("{'format':'vertelpunt-script/1','key':'t','title':{'nl':'T'},"
	               "'privacy':{'nl':'P'},'sections':[]}",
	               "sections");
	expect_refused("{'format':'vertelpunt-script/1','key':'t','title':{'nl':'T'},"
	               "'privacy':{'nl':'P'},'sections':[{'id':'s1','questions':[]}]}",
	               "sections[0].questions");
	expect_refused("{'format':'vertelpunt-script/1','key':'t','title':{'nl':'T'},"
	               "'privacy':{'nl':'P'},'sections':[{'id':'s1','colour':1,'questions':[" QSTORY
	               "]}]}",
	               "sections[0].colour");
}

static void test_refuse_texts(void **state)
{
	/* no Dutch text on the title, a question text, an option label */
	expect_refused("{'format':'vertelpunt-script/1','key':'t','title':{'en':'Title'},"
	               "'privacy':{'nl':'P'},'sections':[{'id':'s1','questions':[" QSTORY "]}]}",
	               "title");
	expect_refused("{'format':'vertelpunt-script/1','key':'t','title':{},"
	               "'privacy':{'nl':'P'},'sections':[{'id':'s1','questions':[" QSTORY "]}]}",
	               "title");
	expect_refused("{'format':'vertelpunt-script/1','key':'t','title':'Titel',"
	               "'privacy':{'nl':'P'},'sections':[{'id':'s1','questions':[" QSTORY "]}]}",
	               "title");
	expect_refused(HEAD QSTORY ",{'id':'q2','type':'text','text':{'en':'Why?'}}" TAIL,
	               "sections[0].questions[1] (q2).text");
	expect_refused(HEAD QSTORY ",{'id':'q2','type':'choice','text':{'nl':'Hoe?'},"
	                           "'options':[{'id':'a','label':{'nl':'Ja'}},"
	                           "{'id':'b','label':{'en':'No'}}]}" TAIL,
	               "sections[0].questions[1] (q2).options[1].label");
	expect_refused(HEAD QSTORY ",{'id':'q2','type':'choice','text':{'nl':'Hoe?'},"
	                           "'options':[{'id':'a','label':{'nl':'Ja'}},"
	                           "{'id':'b','label':{'nl':5}}]}" TAIL,
	               "sections[0].questions[1] (q2).options[1].label");
	expect_refused(HEAD QSTORY ",{'id':'q2','type':'story','text':{'nl':'Nog een?'},"
	                           "'prompts':[{'id':'p1','text':{'fr':'Un jour'}}]}" TAIL,
	               "sections[0].questions[1] (q2).prompts[0].text");
	/* bad language codes: capitals, too long, too short, digits */
	/* (a bad code in a top-level text: test_refuse_language_place) */
	expect_refused(HEAD QSTORY
	               ",{'id':'q2','type':'text','text':{'nl':'Wat?','EN':'What?'}}" TAIL,
	               "sections[0].questions[1] (q2).text");
	expect_refused(HEAD QSTORY
	               ",{'id':'q2','type':'text','text':{'nl':'Wat?','english':'What?'}}" TAIL,
	               "sections[0].questions[1] (q2).text");
	expect_refused(HEAD QSTORY
	               ",{'id':'q2','type':'text','text':{'nl':'Wat?','e':'What?'}}" TAIL,
	               "sections[0].questions[1] (q2).text");
	expect_refused(HEAD QSTORY
	               ",{'id':'q2','type':'text','text':{'nl':'Wat?','e1':'What?'}}" TAIL,
	               "sections[0].questions[1] (q2).text");
}

/* Was a bug: a bad language code in a top-level text is reported as
 * ".title.EN: ..." (a leading dot), not "title.EN: ...": the place does
 * not read like the places of docs/formats.md. */
static void test_refuse_language_place(void **state)
{
	char err[512] = "";
	struct script *s =
	        parse_sq("{'format':'vertelpunt-script/1','key':'t','title':{'nl':'T','EN':'T'},"
	                 "'privacy':{'nl':'P'},'sections':[{'id':'s1','questions':[" QSTORY "]}]}",
	                 err, sizeof err);
	assert_null(s);
	if (strncmp(err, "title", 5) != 0)
		fail_msg("message \"%s\" does not start with \"title\"", err);
}

/* The example of docs/formats.md, rebuilt exactly: the place names the
 * text that lacks its Dutch entry. */
static void test_refuse_doc_example(void **state)
{
	char err[512] = "";
	struct script *s = parse_sq(
	        "{'format':'vertelpunt-script/1','key':'t','title':{'nl':'T'},'privacy':{'nl':'P'},"
	        "'sections':[{'id':'s0','questions':[" QSTORY "]},{'id':'s1','questions':["
	        "{'id':'q0','type':'text','text':{'nl':'A?'}},{'id':'q1','type':'text','text':{'nl'"
	        ":'B?'}},"
	        "{'id':'q-feel','type':'choice','text':{'nl':'Hoe voelde het?'},"
	        "'options':[{'id':'blij','label':{'en':'Happy'}},{'id':'boos','label':{'nl':'Boos'}"
	        "}]}"
	        "]}]}",
	        err, sizeof err);
	assert_null(s);
	const char *want = "sections[1].questions[2] (q-feel).options[0].label: has no Dutch text";
	if (strncmp(err, want, strlen(want)) != 0)
		fail_msg("message \"%s\" does not start with \"%s\"", err, want);
}

static void test_refuse_questions(void **state)
{
	expect_refused(HEAD QSTORY
	               ",{'id':'q2','type':'text','text':{'nl':'Wat?'},'colour':1}" TAIL,
	               "sections[0].questions[1] (q2).colour");
	/* a key of another type is unknown too */
	expect_refused(HEAD QSTORY
	               ",{'id':'q2','type':'text','text':{'nl':'Wat?'},'points':5}" TAIL,
	               "sections[0].questions[1] (q2).points");
	expect_refused(HEAD QSTORY ",{'id':'q2','type':'slider','text':{'nl':'Wat?'}}" TAIL,
	               "sections[0].questions[1] (q2).type");
	expect_refused(HEAD QSTORY ",{'id':'q2','text':{'nl':'Wat?'}}" TAIL,
	               "sections[0].questions[1] (q2).type");
	expect_refused(HEAD QSTORY ",{'id':'q2','type':'text'}" TAIL,
	               "sections[0].questions[1] (q2).text");
	expect_refused(HEAD QSTORY ",{'type':'text','text':{'nl':'Wat?'}}" TAIL,
	               "sections[0].questions[1]");
	expect_refused(HEAD QSTORY ",{'id':'q2','type':'text','text':{'nl':'Wat?'},"
	                           "'perspective':'resident'}" TAIL,
	               "sections[0].questions[1] (q2).perspective");
	expect_refused(HEAD QSTORY
	               ",{'id':'q2','type':'text','text':{'nl':'Wat?'},'required':1}" TAIL,
	               "sections[0].questions[1] (q2).required");
	expect_refused(HEAD QSTORY
	               ",{'id':'q2','type':'text','text':{'nl':'Wat?'},'max_length':0}" TAIL,
	               "sections[0].questions[1] (q2).max_length");
	expect_refused(HEAD QSTORY ",{'id':'q2','type':'text','text':{'nl':'Wat?'},"
	                           "'max_length':100001}" TAIL,
	               "sections[0].questions[1] (q2).max_length");
	expect_refused(HEAD "{'id':'q1','type':'story','text':{'nl':'Vertel.'},'prompts':[]}" TAIL,
	               "sections[0].questions[0] (q1).prompts");
	/* corners, poles, options, points */
	expect_refused(HEAD QSTORY
	               ",{'id':'q-tri','type':'triad','text':{'nl':'Wat?'},'corners':["
	               "{'id':'a','label':{'nl':'A'}},{'id':'b','label':{'nl':'B'}}]}" TAIL,
	               "sections[0].questions[1] (q-tri).corners");
	expect_refused(HEAD QSTORY
	               ",{'id':'q-tri','type':'triad','text':{'nl':'Wat?'},'corners':["
	               "{'id':'a','label':{'nl':'A'}},{'id':'b','label':{'nl':'B'}},"
	               "{'id':'c','label':{'nl':'C'}},{'id':'d','label':{'nl':'D'}}]}" TAIL,
	               "sections[0].questions[1] (q-tri).corners");
	expect_refused(HEAD QSTORY ",{'id':'q-dy','type':'dyad','text':{'nl':'Wat?'},'poles':["
	                           "{'id':'a','label':{'nl':'A'}}]}" TAIL,
	               "sections[0].questions[1] (q-dy).poles");
	expect_refused(HEAD QSTORY ",{'id':'q-ch','type':'choice','text':{'nl':'Wat?'},'options':["
	                           "{'id':'a','label':{'nl':'A'}}]}" TAIL,
	               "sections[0].questions[1] (q-ch).options");
	expect_refused(HEAD QSTORY ",{'id':'q-sc','type':'scale','text':{'nl':'Wat?'},'points':6,"
	                           "'low':{'nl':'L'},'high':{'nl':'H'}}" TAIL,
	               "sections[0].questions[1] (q-sc).points");
	expect_refused(HEAD QSTORY ",{'id':'q-sc','type':'scale','text':{'nl':'Wat?'},'points':3,"
	                           "'low':{'nl':'L'},'high':{'nl':'H'}}" TAIL,
	               "sections[0].questions[1] (q-sc).points");
	expect_refused(HEAD QSTORY ",{'id':'q-mu','type':'multi','text':{'nl':'Wat?'}," OPTS_AB
	                           ",'min':2,'max':1}" TAIL,
	               "sections[0].questions[1] (q-mu).min|sections[0].questions[1] (q-mu).max");
	expect_refused(HEAD QSTORY ",{'id':'q-da','type':'date','text':{'nl':'Wanneer?'},"
	                           "'min':'2026-02-01','max':'2026-01-31'}" TAIL,
	               "sections[0].questions[1] (q-da).min|sections[0].questions[1] (q-da).max");
	expect_refused(HEAD QSTORY ",{'id':'q-da','type':'date','text':{'nl':'Wanneer?'},"
	                           "'min':'2026-02-30'}" TAIL,
	               "sections[0].questions[1] (q-da).min");
	expect_refused(HEAD QSTORY ",{'id':'q-nu','type':'number','text':{'nl':'Hoeveel?'},"
	                           "'min':5,'max':4}" TAIL,
	               "sections[0].questions[1] (q-nu).min|sections[0].questions[1] (q-nu).max");
	expect_refused(HEAD QSTORY ",{'id':'q-pin','type':'pin','text':{'nl':'Waar?'}}" TAIL,
	               "sections[0].questions[1] (q-pin).image");
	expect_refused(HEAD QSTORY ",{'id':'q-st','type':'stones','text':{'nl':'Waar?'},"
	                           "'stones':[{'id':'a','label':{'nl':'A'}}],"
	                           "'x':{'label':{'nl':'X'}}}" TAIL,
	               "sections[0].questions[1] (q-st).y");
	expect_refused(HEAD QSTORY
	               ",{'id':'q-st','type':'stones','text':{'nl':'Waar?'},"
	               "'stones':[{'id':'a','label':{'nl':'A'}}],"
	               "'x':{'label':{'nl':'X'},'colour':1},'y':{'label':{'nl':'Y'}}}" TAIL,
	               "sections[0].questions[1] (q-st).x");
	/* an option with an unknown key */
	expect_refused(HEAD QSTORY ",{'id':'q-ch','type':'choice','text':{'nl':'Wat?'},'options':["
	                           "{'id':'a','label':{'nl':'A'}},"
	                           "{'id':'b','label':{'nl':'B'},'value':2}]}" TAIL,
	               "sections[0].questions[1] (q-ch).options[1]");
}

static void test_refuse_ids(void **state)
{
	/* duplicate question ids, also across sections */
	expect_refused(HEAD QSTORY ",{'id':'q-story','type':'text','text':{'nl':'Wat?'}}" TAIL,
	               "sections[0].questions[1] (q-story)");
	expect_refused("{'format':'vertelpunt-script/1','key':'t','title':{'nl':'T'},"
	               "'privacy':{'nl':'P'},'sections':[{'id':'s1','questions':[" QSTORY "]},"
	               "{'id':'s2','questions':[{'id':'q2','type':'text','text':{'nl':'A?'}},"
	               "{'id':'q-story','type':'text','text':{'nl':'B?'}}]}]}",
	               "sections[1].questions[1] (q-story)");
	/* duplicate section ids */
	expect_refused("{'format':'vertelpunt-script/1','key':'t','title':{'nl':'T'},"
	               "'privacy':{'nl':'P'},'sections':[{'id':'s1','questions':[" QSTORY "]},"
	               "{'id':'s1','questions':[{'id':'q2','type':'text','text':{'nl':'A?'}}]}]}",
	               "sections[1]");
	/* duplicate option ids */
	expect_refused(HEAD QSTORY ",{'id':'q-ch','type':'choice','text':{'nl':'Wat?'},'options':["
	                           "{'id':'a','label':{'nl':'A'}},{'id':'b','label':{'nl':'B'}},"
	                           "{'id':'a','label':{'nl':'C'}}]}" TAIL,
	               "sections[0].questions[1] (q-ch).options[2]");
	expect_refused(HEAD QSTORY
	               ",{'id':'q-dy','type':'dyad','text':{'nl':'Wat?'},'poles':["
	               "{'id':'a','label':{'nl':'A'}},{'id':'a','label':{'nl':'B'}}]}" TAIL,
	               "sections[0].questions[1] (q-dy).poles[1]");
	/* bad ids: a space, 65 characters, empty, a slash; the message names
	 * the question and the field */
	char err[512];
	refused_msg(HEAD QSTORY ",{'id':'q 2','type':'text','text':{'nl':'Wat?'}}" TAIL, err,
	            sizeof err);
	assert_true(starts_with_place(err, "sections[0].questions[1]", 24));
	assert_non_null(strstr(err, ".id: "));
	char id65[66];
	memset(id65, 'q', 65);
	id65[65] = 0;
	buf b;
	buf_init(&b);
	buf_printf(&b, HEAD QSTORY ",{'id':'%s','type':'text','text':{'nl':'Wat?'}}" TAIL, id65);
	refused_msg(b.data, err, sizeof err);
	assert_true(starts_with_place(err, "sections[0].questions[1]", 24));
	assert_non_null(strstr(err, ".id: "));
	buf_reset(&b);
	buf_printf(&b,
	           HEAD QSTORY
	           ",{'id':'q-ch','type':'choice','text':{'nl':'Wat?'},'options':["
	           "{'id':'%s','label':{'nl':'A'}},{'id':'b','label':{'nl':'B'}}]}" TAIL,
	           id65);
	expect_refused(b.data, "sections[0].questions[1] (q-ch).options[0]");
	buf_free(&b);
	expect_refused(HEAD QSTORY ",{'id':'','type':'text','text':{'nl':'Wat?'}}" TAIL,
	               "sections[0].questions[1]");
	expect_refused(HEAD QSTORY
	               ",{'id':'q-ch','type':'choice','text':{'nl':'Wat?'},'options':["
	               "{'id':'a b','label':{'nl':'A'}},{'id':'b','label':{'nl':'B'}}]}" TAIL,
	               "sections[0].questions[1] (q-ch).options[0]");
	expect_refused("{'format':'vertelpunt-script/1','key':'t','title':{'nl':'T'},"
	               "'privacy':{'nl':'P'},'sections':[{'id':'s/1','questions':[" QSTORY "]}]}",
	               "sections[0]");
	expect_refused(HEAD QSTORY ",{'id':7,'type':'text','text':{'nl':'Wat?'}}" TAIL,
	               "sections[0].questions[1]");
}

#define QCHOICE                                                                                    \
	"{'id':'q-ch','type':'choice','text':{'nl':'Hoe?'},'options':[{'id':'a','label':{'nl':'A'" \
	"}},"                                                                                      \
	"{'id':'b','label':{'nl':'B'}}]}"
#define QSCALE                                                                                   \
	"{'id':'q-sc','type':'scale','text':{'nl':'Hoeveel?'},'points':5,'low':{'nl':'Weinig'}," \
	"'high':{'nl':'Veel'}}"

static void test_refuse_conditions(void **state)
{
	/* on a later question */
	expect_refused(HEAD QSTORY ",{'id':'q2','type':'text','text':{'nl':'Waarom?'},"
	                           "'show_if':{'question':'q-ch','is':['a']}}," QCHOICE TAIL,
	               "sections[0].questions[1] (q2).show_if");
	/* on a question in a later section */
	expect_refused("{'format':'vertelpunt-script/1','key':'t','title':{'nl':'T'},"
	               "'privacy':{'nl':'P'},'sections':[{'id':'s1','questions':[" QSTORY
	               ",{'id':'q2','type':'text','text':{'nl':'Waarom?'},"
	               "'show_if':{'question':'q-ch','is':['a']}}]},"
	               "{'id':'s2','questions':[" QCHOICE "]}]}",
	               "sections[0].questions[1] (q2).show_if");
	/* on itself */
	expect_refused(HEAD QSTORY ",{'id':'q-ch','type':'choice','text':{'nl':'Hoe?'}," OPTS_AB
	                           ",'show_if':{'question':'q-ch','is':['a']}}" TAIL,
	               "sections[0].questions[1] (q-ch).show_if");
	/* on an unknown question */
	expect_refused(HEAD QSTORY ",{'id':'q2','type':'text','text':{'nl':'Waarom?'},"
	                           "'show_if':{'question':'q-none','is':['a']}}" TAIL,
	               "sections[0].questions[1] (q2).show_if");
	/* on a text question, a story, a dyad */
	expect_refused(HEAD QSTORY ",{'id':'q-tx','type':'text','text':{'nl':'Wat?'}},"
	                           "{'id':'q2','type':'text','text':{'nl':'Waarom?'},"
	                           "'show_if':{'question':'q-tx','is':['a']}}" TAIL,
	               "sections[0].questions[2] (q2).show_if");
	expect_refused(HEAD QSTORY ",{'id':'q2','type':'text','text':{'nl':'Waarom?'},"
	                           "'show_if':{'question':'q-story','is':['p1']}}" TAIL,
	               "sections[0].questions[1] (q2).show_if");
	expect_refused(HEAD QSTORY ",{'id':'q-dy','type':'dyad','text':{'nl':'Wat?'},'poles':["
	                           "{'id':'a','label':{'nl':'A'}},{'id':'b','label':{'nl':'B'}}]},"
	                           "{'id':'q2','type':'text','text':{'nl':'Waarom?'},"
	                           "'show_if':{'question':'q-dy','is':['a']}}" TAIL,
	               "sections[0].questions[2] (q2).show_if");
	/* values that are not options, or not points */
	expect_refused(HEAD QSTORY "," QCHOICE ",{'id':'q2','type':'text','text':{'nl':'Waarom?'},"
	                           "'show_if':{'question':'q-ch','is':['a','c']}}" TAIL,
	               "sections[0].questions[2] (q2).show_if");
	expect_refused(HEAD QSTORY "," QCHOICE ",{'id':'q2','type':'text','text':{'nl':'Waarom?'},"
	                           "'show_if':{'question':'q-ch','is':[1]}}" TAIL,
	               "sections[0].questions[2] (q2).show_if");
	expect_refused(HEAD QSTORY "," QSCALE ",{'id':'q2','type':'text','text':{'nl':'Waarom?'},"
	                           "'show_if':{'question':'q-sc','is':[6]}}" TAIL,
	               "sections[0].questions[2] (q2).show_if");
	expect_refused(HEAD QSTORY "," QSCALE ",{'id':'q2','type':'text','text':{'nl':'Waarom?'},"
	                           "'show_if':{'question':'q-sc','is':[0]}}" TAIL,
	               "sections[0].questions[2] (q2).show_if");
	expect_refused(HEAD QSTORY "," QSCALE ",{'id':'q2','type':'text','text':{'nl':'Waarom?'},"
	                           "'show_if':{'question':'q-sc','is':['3']}}" TAIL,
	               "sections[0].questions[2] (q2).show_if");
	expect_refused(HEAD QSTORY "," QCHOICE ",{'id':'q2','type':'text','text':{'nl':'Waarom?'},"
	                           "'show_if':{'question':'q-ch','is':[]}}" TAIL,
	               "sections[0].questions[2] (q2).show_if");
	expect_refused(HEAD QSTORY "," QCHOICE ",{'id':'q2','type':'text','text':{'nl':'Waarom?'},"
	                           "'show_if':{'question':'q-ch'}}" TAIL,
	               "sections[0].questions[2] (q2).show_if");
	expect_refused(HEAD QSTORY "," QCHOICE ",{'id':'q2','type':'text','text':{'nl':'Waarom?'},"
	                           "'show_if':{'question':'q-ch','is':['a'],'not':true}}" TAIL,
	               "sections[0].questions[2] (q2).show_if");
	/* continues: new ids must be options of this question */
	expect_refused(HEAD QSTORY ",{'id':'q-ch','type':'choice','text':{'nl':'Hoe?'}," OPTS_AB
	                           ",'continues':{'question':'q-old','options':{'x':'c'}}}" TAIL,
	               "sections[0].questions[1] (q-ch).continues");
	expect_refused(HEAD QSTORY ",{'id':'q-ch','type':'choice','text':{'nl':'Hoe?'}," OPTS_AB
	                           ",'continues':{'options':{'x':'a'}}}" TAIL,
	               "sections[0].questions[1] (q-ch).continues");
}

/* ---- the canonical writer ------------------------------------------------- */

/* Emits s into a fresh string (caller frees). */
static char *emit(const struct script *s)
{
	buf b;
	buf_init(&b);
	script_emit(s, &b);
	return buf_detach(&b, NULL);
}

static void expect_same_text(const char *got, const char *want)
{
	if (strcmp(got, want) == 0)
		return;
	size_t i = 0, line = 1;
	while (got[i] && got[i] == want[i]) {
		if (got[i] == '\n')
			line++;
		i++;
	}
	fail_msg("texts differ at line %zu:\n--- got ---\n%.200s\n--- want ---\n%.200s", line,
	         got + i, want + i);
}

static void test_emit_round_trip(void **state)
{
	struct script *s = must_parse(FULL);
	char *e1 = emit(s);
	char err[512] = "";
	struct script *s2 = script_parse_text(e1, strlen(e1), err, sizeof err);
	if (!s2)
		fail_msg("the writer's output is refused: %s", err);
	char *e2 = emit(s2);
	expect_same_text(e2, e1);
	/* the output is UTF-8 JSON with a final newline */
	size_t n = strlen(e1);
	assert_true(n > 2 && e1[n - 1] == '\n' && e1[n - 2] == '}');
	json_t *j = json_loads(e1, 0, NULL);
	assert_non_null(j);
	json_decref(j);
	free(e1);
	free(e2);
	script_free(s);
	script_free(s2);
}

static void test_emit_canonical(void **state)
{
	char *want = dq(CANONICAL);
	/* the hand-written canonical file comes out byte for byte */
	char err[512] = "";
	struct script *s = script_parse_text(want, strlen(want), err, sizeof err);
	if (!s)
		fail_msg("canonical file refused: %s", err);
	char *got = emit(s);
	expect_same_text(got, want);
	free(got);
	script_free(s);
	/* also when read with script_parse from a JSON value */
	json_t *root = json_loads(want, 0, NULL);
	assert_non_null(root);
	struct script *s3 = script_parse(root, err, sizeof err);
	json_decref(root);
	assert_non_null(s3);
	char *got3 = emit(s3);
	expect_same_text(got3, want);
	free(got3);
	script_free(s3);
	/* and so does FULL, which says the same with keys out of order and
	 * defaults written out */
	s = must_parse(FULL);
	got = emit(s);
	expect_same_text(got, want);
	free(got);
	script_free(s);
	free(want);
}

static void test_emit_defaults(void **state)
{
	char *want = dq(DEFAULTS_CANONICAL);
	struct script *s = must_parse(DEFAULTS);
	char *got = emit(s);
	expect_same_text(got, want);
	free(got);
	script_free(s);
	s = must_parse(DEFAULTS_CANONICAL);
	got = emit(s);
	expect_same_text(got, want);
	free(got);
	script_free(s);
	free(want);
}

/* Was a bug: the writer prints numbers with 15 significant digits, so a number
 * question's min or max that needs 16 or 17 digits changes value on export
 * (the format is meant to be lossless). */
static void test_emit_numbers_exact(void **state)
{
	struct script *s =
	        must_parse(HEAD QSTORY ",{'id':'q-n','type':'number','text':{'nl':'Hoeveel?'},"
	                               "'min':0.30000000000000004,'max':1234567.891234567}" TAIL);
	const struct question *q = script_question(s, "q-n");
	double lo = q->num_min, hi = q->num_max;
	char *e = emit(s);
	char err[512] = "";
	struct script *s2 = script_parse_text(e, strlen(e), err, sizeof err);
	assert_non_null(s2);
	q = script_question(s2, "q-n");
	if (q->num_min != lo || q->num_max != hi)
		fail_msg("min %.17g -> %.17g, max %.17g -> %.17g", lo, q->num_min, hi, q->num_max);
	free(e);
	script_free(s);
	script_free(s2);
}

/* Texts with characters JSON must escape, and non-ASCII, survive. */
static void test_emit_escaping(void **state)
{
	buf in;
	buf_init(&in);
	buf_puts(&in,
	         "{\"format\":\"vertelpunt-script/1\",\"key\":\"t\","
	         "\"title\":{\"nl\":\"Zeg \\\"hallo\\\" \\\\ tab\\t<b>&amp; caf\xc3\xa9 "
	         "\xe2\x98\x95\"},"
	         "\"privacy\":{\"nl\":\"Eerste alinea.\\n\\nTweede alinea.\"},"
	         "\"sections\":[{\"id\":\"s1\",\"questions\":[{\"id\":\"q1\",\"type\":\"story\","
	         "\"text\":{\"nl\":\"Vertel.\"},\"prompts\":[{\"id\":\"p1\",\"text\":"
	         "{\"nl\":\"/uploads/x\"}}]}]}]}");
	char err[512] = "";
	struct script *s = script_parse_text(in.data, in.len, err, sizeof err);
	if (!s)
		fail_msg("refused: %s", err);
	assert_string_equal(ltext_get(&s->title, "nl"),
	                    "Zeg \"hallo\" \\ tab\t<b>&amp; caf\xc3\xa9 \xe2\x98\x95");
	assert_string_equal(ltext_get(&s->privacy, "nl"), "Eerste alinea.\n\nTweede alinea.");
	char *e1 = emit(s);
	assert_non_null(strstr(e1, "caf\xc3\xa9 \xe2\x98\x95")); /* UTF-8, not \u escapes */
	struct script *s2 = script_parse_text(e1, strlen(e1), err, sizeof err);
	assert_non_null(s2);
	assert_string_equal(ltext_get(&s2->title, "nl"), ltext_get(&s->title, "nl"));
	assert_string_equal(ltext_get(&s2->privacy, "nl"), ltext_get(&s->privacy, "nl"));
	char *e2 = emit(s2);
	expect_same_text(e2, e1);
	free(e1);
	free(e2);
	script_free(s);
	script_free(s2);
	buf_free(&in);
}

/* ---- lint ----------------------------------------------------------------- */

static struct lint_result lint_sq(const char *sq, struct script **out)
{
	struct script *s = must_parse(sq);
	struct lint_result r;
	script_lint(s, &r);
	assert_int_equal(r.errors + r.warnings, r.n);
	*out = s;
	return r;
}

static int same_or_null(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Findings of this level for this question (NULL: the script) and field
 * (NULL: any field). */
static int count_findings(const struct lint_result *r, enum lint_level level, const char *question,
                          const char *field)
{
	int n = 0;
	for (int i = 0; i < r->n; i++) {
		const struct lint_item *it = &r->items[i];
		if (it->level == level && same_or_null(it->question, question) &&
		    (!field || (it->field && strcmp(it->field, field) == 0)))
			n++;
	}
	return n;
}

static const struct lint_item *find_finding(const struct lint_result *r, enum lint_level level,
                                            const char *question, const char *field)
{
	for (int i = 0; i < r->n; i++) {
		const struct lint_item *it = &r->items[i];
		if (it->level == level && same_or_null(it->question, question) &&
		    (!field || (it->field && strcmp(it->field, field) == 0)))
			return it;
	}
	return NULL;
}

static void dump_findings(const struct lint_result *r)
{
	for (int i = 0; i < r->n; i++)
		print_message("  %s %s %s: %s [%s]\n", r->items[i].level == LINT_ERROR ? "E" : "W",
		              r->items[i].question ? r->items[i].question : "-",
		              r->items[i].field ? r->items[i].field : "-", r->items[i].msg,
		              r->items[i].detail);
}

/* Five plain signification questions and a story: a script with nothing to report. */
#define SIGN5                                                                                      \
	",{'id':'g1','type':'choice','text':{'nl':'Was het fijn?'}," OPTS_AB "}"                   \
	",{'id':'g2','type':'multi','text':{'nl':'Wie was er?'}," OPTS_AB "}"                      \
	",{'id':'g3','type':'scale','text':{'nl':'Hoe veilig?'},'points':5,'low':{'nl':'Niet'},"   \
	"'high':{'nl':'Heel'}}"                                                                    \
	",{'id':'g4','type':'dyad','text':{'nl':'Wie hielp?'},'poles':[{'id':'l',"                 \
	"'label':{'nl':'Ik'}},{'id':'r','label':{'nl':'Anderen'}}]}"                               \
	",{'id':'g5','type':'triad','text':{'nl':'Waar ging het om?'},'corners':[{'id':'a',"       \
	"'label':{'nl':'Geld'}},{'id':'b','label':{'nl':'Tijd'}},{'id':'c','label':{'nl':'Mensen'" \
	"}}]}"

static void test_lint_clean(void **state)
{
	struct script *s;
	struct lint_result r = lint_sq(HEAD QSTORY SIGN5 TAIL, &s);
	if (r.n != 0) {
		dump_findings(&r);
		fail_msg("a plain script has %d findings", r.n);
	}
	lint_result_free(&r);
	script_free(s);
}

static void test_lint_no_story(void **state)
{
	struct script *s;
	struct lint_result r =
	        lint_sq(HEAD "{'id':'q1','type':'text','text':{'nl':'Wat?'}}" SIGN5 TAIL, &s);
	assert_int_equal(r.errors, 1);
	assert_int_equal(count_findings(&r, LINT_ERROR, NULL, NULL), 1);
	lint_result_free(&r);
	script_free(s);
}

static void test_lint_labels(void **state)
{
	struct script *s;
	struct lint_result r =
	        lint_sq(HEAD QSTORY SIGN5
	                ",{'id':'q-e','type':'choice','text':{'nl':'Welke?'},'options':["
	                "{'id':'a','label':{'nl':'Ja'}},{'id':'b','label':{'nl':'','en':'No'}},"
	                "{'id':'c','label':{'nl':'  '}}]}"
	                ",{'id':'q-p','type':'dyad','text':{'nl':'Links of rechts?'},'poles':["
	                "{'id':'l','label':{'nl':''}},{'id':'r','label':{'nl':'Rechts'}}]}"
	                ",{'id':'q-t','type':'triad','text':{'nl':'Welke hoek?'},'corners':["
	                "{'id':'a','label':{'nl':'A'}},{'id':'b','label':{'nl':'B'}},"
	                "{'id':'c','label':{'nl':''}}]}"
	                ",{'id':'q-s','type':'stones','text':{'nl':'Waar ligt het?'},'stones':["
	                "{'id':'a','label':{'nl':''}}],'x':{'label':{'nl':'X'},'low':{'nl':'Laag'},"
	                "'high':{'nl':'Hoog'}},'y':{'label':{'nl':'Y'},'low':{'nl':'Laag'},"
	                "'high':{'nl':'Hoog'}}}" TAIL,
	                &s);
	assert_int_equal(count_findings(&r, LINT_ERROR, "q-e", "options[1].label.nl"), 1);
	assert_int_equal(count_findings(&r, LINT_ERROR, "q-e", "options[2].label.nl"), 1);
	assert_int_equal(count_findings(&r, LINT_ERROR, "q-e", "options[0].label.nl"), 0);
	assert_int_equal(count_findings(&r, LINT_ERROR, "q-p", "poles[0].label.nl"), 1);
	assert_int_equal(count_findings(&r, LINT_ERROR, "q-t", "corners[2].label.nl"), 1);
	assert_int_equal(count_findings(&r, LINT_ERROR, "q-s", "stones[0].label.nl"), 1);
	if (r.errors != 5) {
		dump_findings(&r);
		fail_msg("%d errors, want 5 (two empty labels are not a duplicate)", r.errors);
	}
	lint_result_free(&r);
	script_free(s);

	/* two options with the same label */
	r = lint_sq(HEAD QSTORY SIGN5
	            ",{'id':'q-d','type':'multi','text':{'nl':'Welke?'},'options':["
	            "{'id':'a','label':{'nl':'Buren'}},{'id':'b','label':{'nl':'Familie'}},"
	            "{'id':'c','label':{'nl':'Buren'}}]}"
	            ",{'id':'q-c','type':'dyad','text':{'nl':'Links of rechts?'},'poles':["
	            "{'id':'l','label':{'nl':'Zelf'}},{'id':'r','label':{'nl':'Zelf'}}]}" TAIL,
	            &s);
	assert_int_equal(count_findings(&r, LINT_ERROR, "q-d", NULL), 1);
	assert_int_equal(count_findings(&r, LINT_ERROR, "q-c", NULL), 1);
	const struct lint_item *it = find_finding(&r, LINT_ERROR, "q-d", NULL);
	assert_non_null(it->field);
	assert_int_equal(strncmp(it->field, "options[", 8), 0);
	assert_int_equal(r.errors, 2);
	lint_result_free(&r);
	script_free(s);
}

/* A script with a story, n signification questions for the teller, and
 * some that are not counted: professional ones and participant
 * descriptors (once_per_person), and non-signification ones. */
static void build_signif(buf *b, int n)
{
	static const char *const kinds[] = {
	        "'type':'choice'," OPTS_AB,
	        "'type':'multi'," OPTS_AB,
	        "'type':'scale','points':7,'low':{'nl':'Niet'},'high':{'nl':'Heel'}",
	        "'type':'dyad','poles':[{'id':'l','label':{'nl':'Ik'}},{'id':'r','label':{'nl':'"
	        "Zij'}}]",
	        "'type':'triad','corners':[{'id':'a','label':{'nl':'Geld'}},{'id':'b','label':{'nl'"
	        ":"
	        "'Tijd'}},{'id':'c','label':{'nl':'Mensen'}}]",
	        "'type':'stones','stones':[{'id':'s','label':{'nl':'Huis'}}],'x':{'label':{'nl':'X'"
	        "},"
	        "'low':{'nl':'Laag'},'high':{'nl':'Hoog'}},'y':{'label':{'nl':'Y'},"
	        "'low':{'nl':'Laag'},'high':{'nl':'Hoog'}}",
	};
	buf_reset(b);
	buf_puts(b, HEAD QSTORY);
	for (int i = 0; i < n; i++)
		buf_printf(b, ",{'id':'t%d','text':{'nl':'Vraag %d?'},%s}", i, i, kinds[i % 6]);
	for (int i = 0; i < 3; i++)
		buf_printf(
		        b,
		        ",{'id':'p%d','text':{'nl':'Vraag p%d?'},'perspective':'professional',%s}",
		        i, i, kinds[i % 6]);
	for (int i = 0; i < 2; i++)
		buf_printf(b, ",{'id':'o%d','text':{'nl':'Vraag o%d?'},'once_per_person':true,%s}",
		           i, i, kinds[(i + 3) % 6]);
	buf_puts(b, ",{'id':'x1','type':'text','text':{'nl':'Nog iets?'}}"
	            ",{'id':'x2','type':'number','text':{'nl':'Hoe oud?'}}"
	            ",{'id':'x3','type':'date','text':{'nl':'Wanneer?'}}" TAIL);
}

static void test_lint_signification_count(void **state)
{
	buf b;
	buf_init(&b);
	for (int n = 3; n <= 9; n++) {
		build_signif(&b, n);
		struct script *s;
		struct lint_result r = lint_sq(b.data, &s);
		int want = n < 5 || n > 7;
		int got = count_findings(&r, LINT_WARNING, NULL, NULL);
		if (got != want) {
			dump_findings(&r);
			fail_msg("%d signification questions: %d script warnings, want %d", n, got,
			         want);
		}
		if (want) {
			char d[16];
			snprintf(d, sizeof d, "%d", n);
			assert_string_equal(find_finding(&r, LINT_WARNING, NULL, NULL)->detail, d);
		}
		assert_int_equal(r.errors, 0);
		assert_int_equal(r.warnings, want);
		lint_result_free(&r);
		script_free(s);
	}
	buf_free(&b);
}

static void test_lint_same_text(void **state)
{
	struct script *s;
	struct lint_result r =
	        lint_sq(HEAD QSTORY SIGN5
	                ",{'id':'q-a','type':'text','text':{'nl':'Wat wilt u kwijt?'}}"
	                ",{'id':'q-b','type':'text','text':{'nl':'Wat wilt u kwijt?'}}" TAIL,
	                &s);
	assert_int_equal(count_findings(&r, LINT_WARNING, "q-a", NULL) +
	                         count_findings(&r, LINT_WARNING, "q-b", NULL),
	                 1);
	assert_int_equal(r.warnings, 1);
	assert_int_equal(r.errors, 0);
	lint_result_free(&r);
	script_free(s);
}

/* The same Dutch text for the teller and for the professional is how a
 * script asks both perspectives the same question: no warning. */
static void test_lint_same_text_perspectives(void **state)
{
	struct script *s;
	struct lint_result r = lint_sq(
	        HEAD QSTORY SIGN5 ",{'id':'q-a','type':'text','text':{'nl':'Wat wilt u kwijt?'}}"
	                          ",{'id':'q-b','type':'text','text':{'nl':'Wat wilt u kwijt?'},"
	                          "'perspective':'professional'}" TAIL,
	        &s);
	assert_int_equal(count_findings(&r, LINT_WARNING, "q-a", NULL) +
	                         count_findings(&r, LINT_WARNING, "q-b", NULL),
	                 0);
	lint_result_free(&r);
	script_free(s);
}

/* One question with this Dutch text; returns the findings about its text. */
static struct lint_result lint_text(const char *text, struct script **s)
{
	buf b;
	buf_init(&b);
	buf_printf(&b, HEAD QSTORY SIGN5 ",{'id':'q-x','type':'text','text':{'nl':'%s'}}" TAIL,
	           text);
	struct lint_result r = lint_sq(b.data, s);
	buf_free(&b);
	return r;
}

static void words(buf *b, int n)
{
	buf_reset(b);
	buf_puts(b, "Wij");
	for (int i = 1; i < n; i++)
		buf_puts(b, " woord");
	buf_puts(b, ".");
}

static void test_lint_plain_language(void **state)
{
	struct script *s;
	buf b;
	buf_init(&b);
	const char *msg_sentence, *msg_word, *msg_official;

	/* sentences: 20 words are fine, 21 and 25 are not */
	words(&b, 20);
	struct lint_result r = lint_text(b.data, &s);
	assert_int_equal(r.n, 0);
	lint_result_free(&r);
	script_free(s);
	words(&b, 21);
	r = lint_text(b.data, &s);
	assert_int_equal(count_findings(&r, LINT_WARNING, "q-x", "text.nl"), 1);
	lint_result_free(&r);
	script_free(s);
	words(&b, 25);
	buf_puts(&b, " Kort. Ook kort?");
	r = lint_text(b.data, &s);
	assert_int_equal(count_findings(&r, LINT_WARNING, "q-x", "text.nl"), 1);
	assert_int_equal(r.n, 1);
	msg_sentence = r.items[0].msg;
	assert_true(msg_sentence && msg_sentence[0]);
	lint_result_free(&r);
	script_free(s);
	/* two short sentences of 15 words make no long sentence */
	buf_reset(&b);
	for (int k = 0; k < 2; k++) {
		for (int i = 0; i < 15; i++)
			buf_puts(&b, i ? " woord" : "Wij");
		buf_puts(&b, ". ");
	}
	r = lint_text(b.data, &s);
	assert_int_equal(r.n, 0);
	lint_result_free(&r);
	script_free(s);

	/* words: 20 letters are fine, 21 and 25 are not; letters, not bytes */
	r = lint_text("Is dit abcdefghijklmnopqrst goed?", &s);
	assert_int_equal(r.n, 0);
	lint_result_free(&r);
	script_free(s);
	r = lint_text("Is dit \xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	              "abcdefghijkl goed?",
	              &s); /* 8 + 12 = 20 letters, 28 bytes */
	assert_int_equal(r.n, 0);
	lint_result_free(&r);
	script_free(s);
	r = lint_text("Is dit abcdefghijklmnopqrstu goed?", &s);
	assert_int_equal(count_findings(&r, LINT_WARNING, "q-x", "text.nl"), 1);
	lint_result_free(&r);
	script_free(s);
	r = lint_text("Gaat het om de woningbouwverenigingsraad hier?", &s); /* 25 letters */
	assert_int_equal(count_findings(&r, LINT_WARNING, "q-x", "text.nl"), 1);
	assert_int_equal(r.n, 1);
	msg_word = r.items[0].msg;
	assert_non_null(strstr(r.items[0].detail, "woningbouwverenigingsraad"));
	lint_result_free(&r);
	script_free(s);

	/* officialese, with the plain alternative named */
	r = lint_text("Wat deed u teneinde de buren te helpen?", &s);
	assert_true(count_findings(&r, LINT_WARNING, "q-x", "text.nl") >= 1); /* once: below */
	const struct lint_item *it = find_finding(&r, LINT_WARNING, "q-x", "text.nl");
	assert_non_null(strstr(it->detail, "teneinde"));
	assert_non_null(strstr(it->detail, "om"));
	msg_official = it->msg;
	lint_result_free(&r);
	script_free(s);
	r = lint_text("Middels dit formulier vertelt u het.", &s);
	assert_int_equal(count_findings(&r, LINT_WARNING, "q-x", "text.nl"), 1);
	it = find_finding(&r, LINT_WARNING, "q-x", "text.nl");
	assert_non_null(strstr(it->detail, "met"));
	lint_result_free(&r);
	script_free(s);
	/* a word that merely contains one is fine */
	r = lint_text("Hoe gaat het met uw dochter?", &s);
	assert_int_equal(r.n, 0);
	lint_result_free(&r);
	script_free(s);

	/* the three reasons are told apart */
	assert_string_not_equal(msg_sentence, msg_word);
	assert_string_not_equal(msg_sentence, msg_official);
	assert_string_not_equal(msg_word, msg_official);

	/* option labels and help texts are checked too */
	r = lint_sq(HEAD QSTORY SIGN5 ",{'id':'q-o','type':'choice','text':{'nl':'Hoe?'},"
	                              "'help':{'nl':'Kies reeds nu.'},'options':["
	                              "{'id':'a','label':{'nl':'Ja'}},"
	                              "{'id':'b','label':{'nl':'Nee, doch later'}}]}" TAIL,
	            &s);
	assert_int_equal(count_findings(&r, LINT_WARNING, "q-o", "help.nl"), 1);
	assert_int_equal(count_findings(&r, LINT_WARNING, "q-o", "options[1].label.nl"), 1);
	lint_result_free(&r);
	script_free(s);
	buf_free(&b);
}

/* Was a bug: "teneinde" is in the officialese table of script.c twice, so one
 * "teneinde" in a text gives two identical warnings. */
static void test_lint_officialese_once(void **state)
{
	struct script *s;
	struct lint_result r = lint_text("Wat deed u teneinde de buren te helpen?", &s);
	int n = count_findings(&r, LINT_WARNING, "q-x", "text.nl");
	if (n != 1) {
		dump_findings(&r);
		fail_msg("\"teneinde\" once: %d warnings, want 1", n);
	}
	lint_result_free(&r);
	script_free(s);
}

/* BUG (likely: docs/formats.md does not list which texts the plain-language
 * check reads): it reads the introduction, privacy and thanks texts,
 * question texts, help and option labels, but not the script title, section
 * titles, the ends of a scale, the "other" label or the stones axes, though
 * people read those too. */
static void test_lint_plain_everywhere(void **state)
{
	struct script *s;
	struct lint_result r =
	        lint_sq("{'format':'vertelpunt-script/1','key':'t','title':{'nl':'Verhalen inzake "
	                "de buurt'},"
	                "'privacy':{'nl':'Alleen wij lezen dit.'},'sections':[{'id':'s1',"
	                "'title':{'nl':'Vragen omtrent uw buurt'},'questions':[" QSTORY SIGN5
	                ",{'id':'q-sc','type':'scale','text':{'nl':'Hoe ging het?'},'points':5,"
	                "'low':{'nl':'Slecht'},'high':{'nl':'Goed derhalve'}}"
	                ",{'id':'q-ot','type':'choice','text':{'nl':'Welke?'}," OPTS_AB
	                ",'other':{'nl':'Anders, te weten middels'}}" TAIL,
	                &s);
	int missing = 0;
	if (count_findings(&r, LINT_WARNING, NULL, "title.nl") != 1 &&
	    count_findings(&r, LINT_WARNING, NULL, "title") != 1) {
		print_message("  no warning for the script title\n");
		missing++;
	}
	int sect = 0;
	for (int i = 0; i < r.n; i++)
		if (strstr(r.items[i].detail, "omtrent"))
			sect++;
	if (sect != 1) {
		print_message("  no warning for the section title\n");
		missing++;
	}
	if (count_findings(&r, LINT_WARNING, "q-sc", NULL) != 1) {
		print_message("  no warning for the high end of the scale\n");
		missing++;
	}
	if (count_findings(&r, LINT_WARNING, "q-ot", NULL) != 1) {
		print_message("  no warning for the other label\n");
		missing++;
	}
	lint_result_free(&r);
	script_free(s);
	assert_int_equal(missing, 0);
}

static void test_lint_json(void **state)
{
	struct script *s;
	/* a label with quotes, a backslash and a newline lands in a detail */
	struct lint_result r = lint_sq(
	        HEAD "{'id':'q-d','type':'choice','text':{'nl':'Welke teneinde?'},'options':["
	             "{'id':'a','label':{'nl':'Zeg \\'ja\\' \\\\ \\n nu'}},"
	             "{'id':'b','label':{'nl':'Zeg \\'ja\\' \\\\ \\n nu'}}]}" TAIL,
	        &s);
	assert_true(r.errors >= 2); /* no story, the same label twice */
	assert_true(r.warnings >= 2);
	buf out;
	buf_init(&out);
	lint_result_json(&r, &out);
	json_error_t jerr;
	json_t *j = json_loadb(out.data, out.len, 0, &jerr);
	if (!j)
		fail_msg("lint JSON does not parse (%s): %s", jerr.text, out.data);
	assert_true(json_is_array(j));
	assert_int_equal(json_array_size(j), r.n);
	int dup_label = 0;
	for (int i = 0; i < r.n; i++) {
		json_t *o = json_array_get(j, (size_t)i);
		const struct lint_item *it = &r.items[i];
		assert_true(json_is_object(o));
		assert_int_equal(json_object_size(o), 5);
		json_t *level = json_object_get(o, "level"), *q = json_object_get(o, "question"),
		       *field = json_object_get(o, "field"), *msg = json_object_get(o, "message"),
		       *detail = json_object_get(o, "detail");
		assert_non_null(level);
		assert_non_null(q);
		assert_non_null(field);
		assert_non_null(msg);
		assert_non_null(detail);
		assert_string_equal(json_string_value(level),
		                    it->level == LINT_ERROR ? "error" : "warning");
		if (it->question)
			assert_string_equal(json_string_value(q), it->question);
		else
			assert_true(json_is_null(q));
		if (it->field)
			assert_string_equal(json_string_value(field), it->field);
		else
			assert_true(json_is_null(field));
		assert_string_equal(json_string_value(msg), it->msg);
		assert_true(json_is_string(detail));
		assert_string_equal(json_string_value(detail), it->detail);
		if (strcmp(json_string_value(detail), "Zeg \"ja\" \\ \n nu") == 0)
			dup_label++;
	}
	assert_int_equal(dup_label, 1);
	json_decref(j);
	buf_free(&out);
	lint_result_free(&r);
	script_free(s);

	/* no findings: an empty array */
	r = lint_sq(HEAD QSTORY SIGN5 TAIL, &s);
	buf_init(&out);
	lint_result_json(&r, &out);
	j = json_loads(out.data, 0, NULL);
	assert_non_null(j);
	assert_true(json_is_array(j));
	assert_int_equal(json_array_size(j), 0);
	json_decref(j);
	buf_free(&out);
	lint_result_free(&r);
	script_free(s);
}

/* ---- answers -------------------------------------------------------------- */

#define BOTH (PERSPECTIVE_TELLER | PERSPECTIVE_PROFESSIONAL)

/* One question of each type, none required. */
static const char TYPES[] = HEAD
        "{'id':'q-story','type':'story','text':{'nl':'Vertel.'},'prompts':["
        "{'id':'p1','text':{'nl':'Een goede dag'}},{'id':'p2','text':{'nl':'Een slechte dag'}}]}"
        ",{'id':'q-text','type':'text','text':{'nl':'Wat?'},'max_length':10}"
        ",{'id':'q-choice','type':'choice','text':{'nl':'Welke?'},'options':["
        "{'id':'a','label':{'nl':'A'}},{'id':'b','label':{'nl':'B'}},"
        "{'id':'c','label':{'nl':'C'}}],'other':{'nl':'Anders'}}"
        ",{'id':'q-choice2','type':'choice','text':{'nl':'Welke nog?'}," OPTS_AB "}"
        ",{'id':'q-multi','type':'multi','text':{'nl':'Welke allemaal?'},'options':["
        "{'id':'a','label':{'nl':'A'}},{'id':'b','label':{'nl':'B'}},"
        "{'id':'c','label':{'nl':'C'}},{'id':'d','label':{'nl':'D'}}],"
        "'other':{'nl':'Anders'},'min':2,'max':3}"
        ",{'id':'q-multi2','type':'multi','text':{'nl':'Welke nog meer?'}," OPTS_AB "}"
        ",{'id':'q-scale','type':'scale','text':{'nl':'Hoeveel?'},'points':5,"
        "'low':{'nl':'Weinig'},'high':{'nl':'Veel'}}"
        ",{'id':'q-scale7','type':'scale','text':{'nl':'Hoeveel nog?'},'points':7,"
        "'low':{'nl':'Weinig'},'high':{'nl':'Veel'}}"
        ",{'id':'q-dyad','type':'dyad','text':{'nl':'Wie?'},'poles':["
        "{'id':'l','label':{'nl':'Ik'}},{'id':'r','label':{'nl':'Zij'}}]}"
        ",{'id':'q-triad','type':'triad','text':{'nl':'Wat?'},'corners':["
        "{'id':'a','label':{'nl':'Geld'}},{'id':'b','label':{'nl':'Tijd'}},"
        "{'id':'c','label':{'nl':'Mensen'}}]}"
        ",{'id':'q-stones','type':'stones','text':{'nl':'Waar?'},'stones':["
        "{'id':'huis','label':{'nl':'Huis'}},{'id':'park','label':{'nl':'Park'}}],"
        "'x':{'label':{'nl':'X'}},'y':{'label':{'nl':'Y'}}}"
        ",{'id':'q-pin','type':'pin','text':{'nl':'Waar precies?'},'image':'kaart'}"
        ",{'id':'q-date','type':'date','text':{'nl':'Wanneer?'},'min':'2020-01-01',"
        "'max':'2026-12-31'}"
        ",{'id':'q-date2','type':'date','text':{'nl':'Wanneer nog?'}}"
        ",{'id':'q-int','type':'number','text':{'nl':'Hoeveel?'},'min':0,'max':10,"
        "'integer':true}"
        ",{'id':'q-real','type':'number','text':{'nl':'Hoeveel nog?'},'min':-1.5,'max':2.5}"
        ",{'id':'q-free','type':'number','text':{'nl':'Welk getal?'}}"
        ",{'id':'q-na','type':'choice','text':{'nl':'Geldt het?'},'not_applicable':true," OPTS_AB
        "}"
        ",{'id':'q-na-text','type':'text','text':{'nl':'Nog iets?'},'not_applicable':true,"
        "'required':true}" TAIL;

static int check_sq(const struct script *s, const char *answers_sq, unsigned mask,
                    struct answer_error *e, json_t **keep)
{
	char *t = dq(answers_sq);
	json_error_t jerr;
	json_t *a = json_loads(t, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (!a)
		fail_msg("test answers are not JSON (%s): %s", jerr.text, t);
	free(t);
	int rc = script_check_answers(s, a, mask, e);
	if (keep)
		*keep = a;
	else
		json_decref(a);
	return rc;
}

static void ok_(const struct script *s, const char *answers_sq, unsigned mask, int line)
{
	struct answer_error e;
	if (check_sq(s, answers_sq, mask, &e, NULL) != 0)
		fail_msg("line %d: %s refused: %s: %s (%s)", line, answers_sq,
		         e.question ? e.question : "-", e.msg ? e.msg : "-", e.detail);
}

/* Refused, and err.question names the question. */
static void bad_(const struct script *s, const char *answers_sq, unsigned mask, const char *qid,
                 int line)
{
	struct answer_error e;
	int rc = check_sq(s, answers_sq, mask, &e, NULL);
	if (rc != -1)
		fail_msg("line %d: %s accepted (rc %d)", line, answers_sq, rc);
	if (!e.question || strcmp(e.question, qid) != 0)
		fail_msg("line %d: %s refused, but err.question is %s, not %s", line, answers_sq,
		         e.question ? e.question : "NULL", qid);
	if (!e.msg || !e.msg[0])
		fail_msg("line %d: %s refused without a message", line, answers_sq);
}
#define OK(s, a)           ok_(s, a, BOTH, __LINE__)
#define BAD(s, a, q)       bad_(s, a, BOTH, q, __LINE__)
#define OK_AS(s, a, m)     ok_(s, a, m, __LINE__)
#define BAD_AS(s, a, m, q) bad_(s, a, m, q, __LINE__)

static void test_answers_story_text(void **state)
{
	struct script *s = must_parse(TYPES);
	OK(s, "{'q-na-text':null}");
	OK(s, "{'q-na-text':null,'q-story':{'prompt':'p1','text':'Het was fijn.'}}");
	OK(s,
	   "{'q-na-text':null,'q-story':{'prompt':'p2','title':'Mijn dag','text':'Zo ging het.'}}");
	BAD(s, "{'q-na-text':null,'q-story':{'text':'Zonder vraag.'}}", "q-story");
	BAD(s, "{'q-na-text':null,'q-story':{'prompt':'p3','text':'Onbekend.'}}", "q-story");
	BAD(s, "{'q-na-text':null,'q-story':{'prompt':'p1','text':''}}", "q-story");
	BAD(s, "{'q-na-text':null,'q-story':{'prompt':'p1','text':'   '}}", "q-story");
	BAD(s, "{'q-na-text':null,'q-story':{'prompt':'p1'}}", "q-story");
	BAD(s, "{'q-na-text':null,'q-story':{'prompt':'p1','text':'Ja.','mood':'blij'}}",
	    "q-story");
	BAD(s, "{'q-na-text':null,'q-story':'Gewoon tekst.'}", "q-story");
	BAD(s, "{'q-na-text':null,'q-story':{'prompt':1,'text':'Ja.'}}", "q-story");
	/* text: a string of at most max_length characters (not bytes) */
	OK(s, "{'q-na-text':null,'q-text':'caf\xc3\xa9 caf\xc3\xa9'}"); /* 9 characters, 11 bytes */
	OK(s, "{'q-na-text':null,'q-text':'abcdefghij'}");
	BAD(s, "{'q-na-text':null,'q-text':'abcdefghijk'}", "q-text");
	BAD(s, "{'q-na-text':null,'q-text':5}", "q-text");
	BAD(s, "{'q-na-text':null,'q-text':['a']}", "q-text");
	script_free(s);
}

/* All TYPES answers below carry the required q-na-text as null. */
#define NA "'q-na-text':null,"

static void test_answers_choice_multi(void **state)
{
	struct script *s = must_parse(TYPES);
	OK(s, "{" NA "'q-choice':'a'}");
	OK(s, "{" NA "'q-choice':'c'}");
	OK(s, "{" NA "'q-choice':{'other':'Iets anders'}}");
	BAD(s, "{" NA "'q-choice':'d'}", "q-choice");
	BAD(s, "{" NA "'q-choice':'A'}", "q-choice");
	BAD(s, "{" NA "'q-choice':['a']}", "q-choice");
	BAD(s, "{" NA "'q-choice':1}", "q-choice");
	BAD(s, "{" NA "'q-choice2':{'other':'Iets anders'}}", "q-choice2"); /* no other here */
	OK(s, "{" NA "'q-choice2':'b'}");

	/* multi: min 2, max 3, four options and other */
	OK(s, "{" NA "'q-multi':['a','b']}");
	OK(s, "{" NA "'q-multi':['d','a','c']}");
	OK(s, "{" NA "'q-multi':['a',{'other':'Iets anders'}]}");
	OK(s, "{" NA "'q-multi':[{'other':'Iets anders'},'b','c']}");
	BAD(s, "{" NA "'q-multi':['a','b','c','d']}", "q-multi"); /* more than max */
	BAD(s, "{" NA "'q-multi':['a']}", "q-multi");             /* fewer than min */
	BAD(s, "{" NA "'q-multi':[]}", "q-multi");                /* fewer than min */
	BAD(s, "{" NA "'q-multi':['a','a']}", "q-multi");         /* twice */
	BAD(s, "{" NA "'q-multi':['a','e']}", "q-multi");         /* unknown */
	BAD(s, "{" NA "'q-multi':'a'}", "q-multi");               /* not a list */
	BAD(s, "{" NA "'q-multi':['a',{'other':'x'},{'other':'y'}]}", "q-multi");
	/* multi without other: default min 0, max the number of options */
	OK(s, "{" NA "'q-multi2':[]}");
	OK(s, "{" NA "'q-multi2':['a','b']}");
	BAD(s, "{" NA "'q-multi2':['a',{'other':'Iets anders'}]}", "q-multi2");
	BAD(s, "{" NA "'q-multi2':['b','b']}", "q-multi2");
	script_free(s);
}

static void test_answers_scale_dyad_triad(void **state)
{
	struct script *s = must_parse(TYPES);
	for (int p = 1; p <= 5; p++) {
		char a[64];
		snprintf(a, sizeof a, "{" NA "'q-scale':%d}", p);
		OK(s, a);
	}
	BAD(s, "{" NA "'q-scale':0}", "q-scale");
	BAD(s, "{" NA "'q-scale':6}", "q-scale");
	BAD(s, "{" NA "'q-scale':2.5}", "q-scale");
	BAD(s, "{" NA "'q-scale':'3'}", "q-scale");
	OK(s, "{" NA "'q-scale7':7}");
	BAD(s, "{" NA "'q-scale7':8}", "q-scale7");
	BAD(s, "{" NA "'q-scale7':0}", "q-scale7");

	OK(s, "{" NA "'q-dyad':0}");
	OK(s, "{" NA "'q-dyad':100}");
	OK(s, "{" NA "'q-dyad':37.25}");
	BAD(s, "{" NA "'q-dyad':-1}", "q-dyad");
	BAD(s, "{" NA "'q-dyad':100.5}", "q-dyad");
	BAD(s, "{" NA "'q-dyad':'50'}", "q-dyad");
	BAD(s, "{" NA "'q-dyad':[50]}", "q-dyad");

	OK(s, "{" NA "'q-triad':[0.2,0.3,0.5]}");
	OK(s, "{" NA "'q-triad':[1,0,0]}");
	OK(s, "{" NA "'q-triad':[0.3333,0.3333,0.3333]}");      /* 0.9999 */
	OK(s, "{" NA "'q-triad':[0.2,0.3,0.5009]}");            /* 1.0009 */
	OK(s, "{" NA "'q-triad':[0.2,0.3,0.4991]}");            /* 0.9991 */
	BAD(s, "{" NA "'q-triad':[0.2,0.3,0.502]}", "q-triad"); /* 1.002 */
	BAD(s, "{" NA "'q-triad':[0.2,0.3,0.498]}", "q-triad"); /* 0.998 */
	BAD(s, "{" NA "'q-triad':[0.5,0.5,0.5]}", "q-triad");
	BAD(s, "{" NA "'q-triad':[-0.1,0.6,0.5]}", "q-triad"); /* sums to 1, one negative */
	BAD(s, "{" NA "'q-triad':[0.5,0.5]}", "q-triad");
	BAD(s, "{" NA "'q-triad':[0.25,0.25,0.25,0.25]}", "q-triad");
	BAD(s, "{" NA "'q-triad':[0.5,'0.25',0.25]}", "q-triad");
	BAD(s, "{" NA "'q-triad':{'a':1}}", "q-triad");
	script_free(s);
}

/* Was a bug: docs/formats.md asks of triad weights "each >= 0, summing to 1
 * (within 0.001)"; script.c also refuses a weight above 1, so a click on a
 * corner whose weight comes out as 1.0000000000000002 in floating point
 * (the sum is within 0.001) is refused. */
static void test_answers_triad_rounding(void **state)
{
	struct script *s = must_parse(TYPES);
	OK(s, "{" NA "'q-triad':[1.0000000000000002,0,0]}");
	OK(s, "{" NA "'q-triad':[0,1.0004,0]}");
	script_free(s);
}

static void test_answers_stones_pin_date_number(void **state)
{
	struct script *s = must_parse(TYPES);
	OK(s, "{" NA "'q-stones':{'huis':[10,90],'park':[0,100]}}");
	OK(s, "{" NA "'q-stones':{'park':[55.5,0]}}"); /* a stone left off the canvas is absent */
	OK(s, "{" NA "'q-stones':{}}");
	BAD(s, "{" NA "'q-stones':{'school':[10,10]}}", "q-stones");
	BAD(s, "{" NA "'q-stones':{'huis':[101,10]}}", "q-stones");
	BAD(s, "{" NA "'q-stones':{'huis':[10,-1]}}", "q-stones");
	BAD(s, "{" NA "'q-stones':{'huis':[10]}}", "q-stones");
	BAD(s, "{" NA "'q-stones':{'huis':[10,10,10]}}", "q-stones");
	BAD(s, "{" NA "'q-stones':[[10,10]]}", "q-stones");

	OK(s, "{" NA "'q-pin':{'x':0,'y':100,'note':'Hier'}}");
	OK(s, "{" NA "'q-pin':{'x':45.5,'y':12}}");
	BAD(s, "{" NA "'q-pin':{'x':100.1,'y':12}}", "q-pin");
	BAD(s, "{" NA "'q-pin':{'x':10,'y':-0.5}}", "q-pin");
	BAD(s, "{" NA "'q-pin':{'x':10}}", "q-pin");
	BAD(s, "{" NA "'q-pin':{'x':10,'y':10,'colour':'red'}}", "q-pin");
	BAD(s, "{" NA "'q-pin':[10,10]}", "q-pin");

	OK(s, "{" NA "'q-date':'2024-02-29'}");
	OK(s, "{" NA "'q-date':'2020-01-01'}");
	OK(s, "{" NA "'q-date':'2026-12-31'}");
	BAD(s, "{" NA "'q-date':'2019-12-31'}", "q-date");
	BAD(s, "{" NA "'q-date':'2027-01-01'}", "q-date");
	BAD(s, "{" NA "'q-date':'2026-02-30'}", "q-date");
	BAD(s, "{" NA "'q-date':'2025-02-29'}", "q-date");
	BAD(s, "{" NA "'q-date':'2026-13-01'}", "q-date");
	BAD(s, "{" NA "'q-date':'2026-1-1'}", "q-date");
	BAD(s, "{" NA "'q-date':'01-02-2026'}", "q-date");
	BAD(s, "{" NA "'q-date':'2026-01-01T10:00'}", "q-date");
	BAD(s, "{" NA "'q-date':20260101}", "q-date");
	OK(s, "{" NA "'q-date2':'1900-02-28'}");
	OK(s, "{" NA "'q-date2':'2000-02-29'}");
	BAD(s, "{" NA "'q-date2':'1900-02-29'}", "q-date2");
	BAD(s, "{" NA "'q-date2':'2026-02-30'}", "q-date2");

	OK(s, "{" NA "'q-int':0}");
	OK(s, "{" NA "'q-int':10}");
	OK(s, "{" NA "'q-int':7}");
	BAD(s, "{" NA "'q-int':-1}", "q-int");
	BAD(s, "{" NA "'q-int':11}", "q-int");
	BAD(s, "{" NA "'q-int':2.5}", "q-int");
	BAD(s, "{" NA "'q-int':'5'}", "q-int");
	OK(s, "{" NA "'q-real':-1.5}");
	OK(s, "{" NA "'q-real':2.5}");
	OK(s, "{" NA "'q-real':0.25}");
	BAD(s, "{" NA "'q-real':-1.51}", "q-real");
	BAD(s, "{" NA "'q-real':2.51}", "q-real");
	OK(s, "{" NA "'q-free':-123456.75}");
	OK(s, "{" NA "'q-free':1e9}");
	BAD(s, "{" NA "'q-free':true}", "q-free");
	script_free(s);
}

/* Was a bug: the date check reads "YYYY-MM-DD" with sscanf("%4d-%2d-%2d"), which
 * lets through a sign and spaces: "+026-03-01" and "2026- 3- 1" are taken as
 * dates (both as answers and as a date question's min/max). */
static void test_answers_date_strict(void **state)
{
	static const char *const not_dates[] = {"2026- 3- 1", "+026-03-01", "2026-+3-01",
	                                        "2026-03-+1"};
	struct script *s = must_parse(TYPES);
	int accepted = 0;
	for (size_t i = 0; i < sizeof not_dates / sizeof not_dates[0]; i++) {
		char a[128];
		struct answer_error e;
		snprintf(a, sizeof a, "{" NA "'q-date2':'%s'}", not_dates[i]);
		if (check_sq(s, a, BOTH, &e, NULL) == 0) {
			print_message("  answer \"%s\" accepted as a date\n", not_dates[i]);
			accepted++;
		}
		char sq[512], err[512];
		snprintf(sq, sizeof sq,
		         HEAD QSTORY ",{'id':'q-da','type':'date','text':{'nl':'Wanneer?'},"
		                     "'min':'%s'}" TAIL,
		         not_dates[i]);
		struct script *s2 = parse_sq(sq, err, sizeof err);
		if (s2) {
			print_message("  min \"%s\" accepted as a date\n", not_dates[i]);
			accepted++;
			script_free(s2);
		}
	}
	script_free(s);
	assert_int_equal(accepted, 0);
}

static void test_answers_null_and_required(void **state)
{
	struct script *s = must_parse(TYPES);
	OK(s, "{" NA "'q-na':null}");
	OK(s, "{" NA "'q-na':'a'}");
	BAD(s, "{" NA "'q-choice':null}", "q-choice");
	BAD(s, "{" NA "'q-story':null}", "q-story");
	BAD(s, "{" NA "'q-triad':null}", "q-triad");
	/* q-na-text is required; null is its answer */
	BAD(s, "{}", "q-na-text");
	BAD(s, "{'q-choice':'a'}", "q-na-text");
	OK(s, "{'q-na-text':'Ja.'}");

	/* an unknown question id is refused and named */
	struct answer_error e;
	assert_int_equal(check_sq(s, "{" NA "'q-nope':1}", BOTH, &e, NULL), -1);
	assert_non_null(e.msg);
	if (!(e.question && strcmp(e.question, "q-nope") == 0) && strcmp(e.detail, "q-nope") != 0)
		fail_msg("an unknown id is refused without naming it: %s / %s",
		         e.question ? e.question : "NULL", e.detail);
	/* not an object */
	assert_int_equal(check_sq(s, "['q-choice']", BOTH, &e, NULL), -1);
	assert_null(e.question);
	assert_non_null(e.msg);
	assert_int_equal(check_sq(s, "'q-choice'", BOTH, &e, NULL), -1);
	script_free(s);
}

/* The full script: conditions and perspectives. */
static void test_answers_full(void **state)
{
	struct script *s = must_parse(FULL);
	/* everything answered */
	const char *all = "{'q-story':{'prompt':'p-bad','text':'Het ging mis.'},'q-text':'Niets.',"
	                  "'q-name':'De Wijk','q-feel':'boos','q-who':['gemeente','buren'],"
	                  "'q-safe':2,'q-help':40.5,'q-why':[0.2,0.3,0.5],"
	                  "'q-stones':{'huis':[10,90]},'q-where':{'x':50,'y':50},"
	                  "'q-when':'2024-02-29','q-age':42,'q-rate':2.5,'q-prof':'matig',"
	                  "'q-now':'fijn'}";
	struct answer_error e;
	json_t *a;
	assert_int_equal(check_sq(s, all, BOTH, &e, &a), 0);
	assert_int_equal(json_object_size(a), 15);
	json_decref(a);
	/* the least: the required questions that are asked */
	OK(s, "{'q-story':{'prompt':'p-good','text':'Fijn.'},'q-feel':'blij','q-prof':'goed'}");
	BAD(s, "{'q-feel':'blij','q-prof':'goed'}", "q-story");
	BAD(s, "{'q-story':{'prompt':'p-good','text':'Fijn.'},'q-prof':'goed'}", "q-feel");
	/* q-feel may be not applicable; then q-who is not asked */
	OK(s, "{'q-story':{'prompt':'p-good','text':'Fijn.'},'q-feel':null,'q-prof':'goed'}");

	/* show_if on a choice: q-who is asked only after boos or bang; an
	 * answer to it otherwise is removed */
	assert_int_equal(check_sq(s,
	                          "{'q-story':{'prompt':'p-good','text':'Fijn.'},'q-feel':'blij',"
	                          "'q-who':['buren'],'q-prof':'goed','q-text':'Ja.'}",
	                          BOTH, &e, &a),
	                 0);
	assert_null(json_object_get(a, "q-who"));
	assert_non_null(json_object_get(a, "q-text"));
	assert_non_null(json_object_get(a, "q-feel"));
	assert_int_equal(json_object_size(a), 4);
	json_decref(a);
	/* a hidden question's answer is removed even when it would be invalid */
	assert_int_equal(check_sq(s,
	                          "{'q-story':{'prompt':'p-good','text':'Fijn.'},'q-feel':'blij',"
	                          "'q-who':['nobody','nobody'],'q-prof':'goed'}",
	                          BOTH, &e, &a),
	                 0);
	assert_null(json_object_get(a, "q-who"));
	json_decref(a);
	/* "other" is not one of the condition's values */
	assert_int_equal(
	        check_sq(s,
	                 "{'q-story':{'prompt':'p-good','text':'Fijn.'},"
	                 "'q-feel':{'other':'Verbaasd'},'q-who':['buren'],'q-prof':'goed'}",
	                 BOTH, &e, &a),
	        0);
	assert_null(json_object_get(a, "q-who"));
	json_decref(a);
	/* when asked, q-who is checked: min 1 */
	BAD(s,
	    "{'q-story':{'prompt':'p-good','text':'Fijn.'},'q-feel':'bang','q-who':[],"
	    "'q-prof':'goed'}",
	    "q-who");

	/* show_if on a multi (q-safe after gemeente) and on a scale (q-help,
	 * required, after 1-3): a required question hidden may be missing */
	OK(s, "{'q-story':{'prompt':'p-good','text':'Fijn.'},'q-feel':'boos','q-who':['buren'],"
	      "'q-prof':'goed'}");
	assert_int_equal(check_sq(s,
	                          "{'q-story':{'prompt':'p-good','text':'Fijn.'},'q-feel':'boos',"
	                          "'q-who':['buren'],'q-safe':2,'q-help':10,'q-prof':'goed'}",
	                          BOTH, &e, &a),
	                 0);
	assert_null(json_object_get(a, "q-safe"));
	assert_null(json_object_get(a, "q-help")); /* hidden because q-safe is */
	assert_non_null(json_object_get(a, "q-who"));
	json_decref(a);
	OK(s, "{'q-story':{'prompt':'p-good','text':'Fijn.'},'q-feel':'boos',"
	      "'q-who':['gemeente'],'q-prof':'goed'}"); /* q-safe unanswered: q-help not asked */
	OK(s, "{'q-story':{'prompt':'p-good','text':'Fijn.'},'q-feel':'boos',"
	      "'q-who':['gemeente'],'q-safe':5,'q-prof':'goed'}");
	BAD(s,
	    "{'q-story':{'prompt':'p-good','text':'Fijn.'},'q-feel':'boos',"
	    "'q-who':['gemeente','familie'],'q-safe':3,'q-prof':'goed'}",
	    "q-help");
	OK(s, "{'q-story':{'prompt':'p-good','text':'Fijn.'},'q-feel':'boos',"
	      "'q-who':['gemeente','familie'],'q-safe':3,'q-help':0,'q-prof':'goed'}");
	BAD(s,
	    "{'q-story':{'prompt':'p-good','text':'Fijn.'},'q-feel':'boos',"
	    "'q-who':['gemeente'],'q-safe':1,'q-help':101,'q-prof':'goed'}",
	    "q-help");
	assert_int_equal(check_sq(s,
	                          "{'q-story':{'prompt':'p-good','text':'Fijn.'},'q-feel':'boos',"
	                          "'q-who':['gemeente'],'q-safe':4,'q-help':50,'q-prof':'goed'}",
	                          BOTH, &e, &a),
	                 0);
	assert_null(json_object_get(a, "q-help"));
	assert_non_null(json_object_get(a, "q-safe"));
	json_decref(a);

	/* the perspective mask: the teller alone may leave out the required
	 * professional question, and may not answer it */
	OK_AS(s, "{'q-story':{'prompt':'p-good','text':'Fijn.'},'q-feel':'blij'}",
	      PERSPECTIVE_TELLER);
	BAD_AS(s, "{'q-story':{'prompt':'p-good','text':'Fijn.'},'q-feel':'blij','q-prof':'goed'}",
	       PERSPECTIVE_TELLER, "q-prof");
	BAD_AS(s, "{'q-feel':'blij'}", PERSPECTIVE_TELLER, "q-story");
	/* the professional alone: the teller's required questions may be missing */
	OK_AS(s, "{'q-prof':'matig'}", PERSPECTIVE_PROFESSIONAL);
	BAD_AS(s, "{}", PERSPECTIVE_PROFESSIONAL, "q-prof");
	BAD_AS(s, "{'q-prof':'slecht'}", PERSPECTIVE_PROFESSIONAL, "q-prof");
	BAD_AS(s, "{'q-prof':'goed','q-feel':'blij'}", PERSPECTIVE_PROFESSIONAL, "q-feel");
	/* answers of the wrong type name their question */
	BAD(s,
	    "{'q-story':{'prompt':'p-good','text':'Fijn.'},'q-feel':'blij','q-prof':'goed',"
	    "'q-age':41.5}",
	    "q-age");
	BAD(s,
	    "{'q-story':{'prompt':'p-good','text':'Fijn.'},'q-feel':'blij','q-prof':'goed',"
	    "'q-name':'Een naam die veel te lang is voor dit veld, want hier passen maar "
	    "tachtig tekens in en deze zin is langer.'}",
	    "q-name");
	BAD(s,
	    "{'q-story':{'prompt':'p-good','text':'Fijn.'},'q-feel':'blij','q-prof':'goed',"
	    "'q-when':'2019-12-31'}",
	    "q-when");
	BAD(s,
	    "{'q-story':{'prompt':'p-good','text':'Fijn.'},'q-feel':'blij','q-prof':'goed',"
	    "'q-now':'goed'}",
	    "q-now"); /* an old option id is not an answer to the new question */
	script_free(s);
}

/* ---- fingerprints --------------------------------------------------------- */

static void fingerprint_of(const char *question_sq, char out[65])
{
	buf b;
	buf_init(&b);
	buf_printf(&b, HEAD "%s" TAIL, question_sq);
	struct script *s = must_parse(b.data);
	memset(out, 'x', 65);
	question_fingerprint(s->questions[0], out);
	assert_int_equal(strlen(out), 64);
	for (int i = 0; i < 64; i++)
		assert_non_null(strchr("0123456789abcdefABCDEF", out[i]));
	script_free(s);
	buf_free(&b);
}

static void expect_fp(const char *a, const char *b, int same)
{
	char fa[65], fb[65];
	fingerprint_of(a, fa);
	fingerprint_of(b, fb);
	if ((strcmp(fa, fb) == 0) != same)
		fail_msg("fingerprints should be %s:\n%s\n%s", same ? "the same" : "different", a,
		         b);
}

static void test_fingerprint(void **state)
{
	const char *choice =
	        "{'id':'q','type':'choice','text':{'nl':'Hoe voelde het?'},'options':["
	        "{'id':'blij','label':{'nl':'Blij'}},{'id':'boos','label':{'nl':'Boos'}}]}";
	/* the same meaning: reworded labels, text, help, other settings */
	expect_fp(choice, choice, 1);
	expect_fp(choice,
	          "{'id':'q','type':'choice','text':{'nl':'Wat voelde u?','en':'How?'},"
	          "'help':{'nl':'Kies er een.'},'required':true,'options':["
	          "{'id':'blij','label':{'nl':'Vrolijk','en':'Happy'}},"
	          "{'id':'boos','label':{'nl':'Kwaad'}}]}",
	          1);
	/* changed option ids: a different meaning */
	expect_fp(choice,
	          "{'id':'q','type':'choice','text':{'nl':'Hoe voelde het?'},'options':["
	          "{'id':'blij','label':{'nl':'Blij'}},{'id':'kwaad','label':{'nl':'Boos'}}]}",
	          0);
	expect_fp(choice,
	          "{'id':'q','type':'choice','text':{'nl':'Hoe voelde het?'},'options':["
	          "{'id':'blij','label':{'nl':'Blij'}},{'id':'boos','label':{'nl':'Boos'}},"
	          "{'id':'bang','label':{'nl':'Bang'}}]}",
	          0);
	/* a changed type */
	expect_fp(choice,
	          "{'id':'q','type':'multi','text':{'nl':'Hoe voelde het?'},'options':["
	          "{'id':'blij','label':{'nl':'Blij'}},{'id':'boos','label':{'nl':'Boos'}}]}",
	          0);

	/* dyad: the pole labels carry the meaning (see test_fingerprint_reorder
	 * for choice options in another order) */
	const char *dyad =
	        "{'id':'q','type':'dyad','text':{'nl':'Wie hielp?'},'poles':["
	        "{'id':'l','label':{'nl':'Ik zelf'}},{'id':'r','label':{'nl':'Anderen'}}]}";
	expect_fp(dyad,
	          "{'id':'q','type':'dyad','text':{'nl':'Wie hielp u?'},'poles':["
	          "{'id':'l','label':{'nl':'Ik zelf'}},{'id':'r','label':{'nl':'Anderen'}}]}",
	          1);
	expect_fp(dyad,
	          "{'id':'q','type':'dyad','text':{'nl':'Wie hielp?'},'poles':["
	          "{'id':'l','label':{'nl':'Ik zelf'}},{'id':'r','label':{'nl':'De gemeente'}}]}",
	          0);
	expect_fp(dyad,
	          "{'id':'q','type':'dyad','text':{'nl':'Wie hielp?'},'poles':["
	          "{'id':'r','label':{'nl':'Anderen'}},{'id':'l','label':{'nl':'Ik zelf'}}]}",
	          0);

	/* scale: the points */
	const char *scale = "{'id':'q','type':'scale','text':{'nl':'Hoe?'},'points':5,"
	                    "'low':{'nl':'Slecht'},'high':{'nl':'Goed'}}";
	expect_fp(scale,
	          "{'id':'q','type':'scale','text':{'nl':'Hoe ging het?'},'points':5,"
	          "'low':{'nl':'Heel slecht'},'high':{'nl':'Heel goed'}}",
	          1);
	expect_fp(scale,
	          "{'id':'q','type':'scale','text':{'nl':'Hoe?'},'points':7,"
	          "'low':{'nl':'Slecht'},'high':{'nl':'Goed'}}",
	          0);

	/* triad corners and stones */
	const char *triad = "{'id':'q','type':'triad','text':{'nl':'Wat?'},'corners':["
	                    "{'id':'a','label':{'nl':'Geld'}},{'id':'b','label':{'nl':'Tijd'}},"
	                    "{'id':'c','label':{'nl':'Mensen'}}]}";
	expect_fp(triad,
	          "{'id':'q','type':'triad','text':{'nl':'Wat?'},'corners':["
	          "{'id':'a','label':{'nl':'Geld'}},{'id':'b','label':{'nl':'Tijd'}},"
	          "{'id':'d','label':{'nl':'Mensen'}}]}",
	          0);
	expect_fp(triad,
	          "{'id':'q','type':'triad','text':{'nl':'Wat?'},'corners':["
	          "{'id':'a','label':{'nl':'Geld'}},{'id':'b','label':{'nl':'Tijd'}},"
	          "{'id':'c','label':{'nl':'Buren'}}]}",
	          0);
	const char *stones = "{'id':'q','type':'stones','text':{'nl':'Waar?'},'stones':["
	                     "{'id':'huis','label':{'nl':'Huis'}}],'x':{'label':{'nl':'X'}},"
	                     "'y':{'label':{'nl':'Y'}}}";
	expect_fp(stones,
	          "{'id':'q','type':'stones','text':{'nl':'Waar?'},'stones':["
	          "{'id':'huis','label':{'nl':'Huis'}},{'id':'park','label':{'nl':'Park'}}],"
	          "'x':{'label':{'nl':'X'}},'y':{'label':{'nl':'Y'}}}",
	          0);
}

/* Was a bug: docs/formats.md names a choice option by its id ("changing a
 * choice question's option ids ... changes the meaning"); showing the same
 * options in another order does not change an id, but it changes the
 * fingerprint, so publishing would demand a new question id. */
static void test_fingerprint_reorder(void **state)
{
	expect_fp("{'id':'q','type':'choice','text':{'nl':'Hoe?'},'options':["
	          "{'id':'blij','label':{'nl':'Blij'}},{'id':'boos','label':{'nl':'Boos'}}]}",
	          "{'id':'q','type':'choice','text':{'nl':'Hoe?'},'options':["
	          "{'id':'boos','label':{'nl':'Boos'}},{'id':'blij','label':{'nl':'Blij'}}]}",
	          1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_type_names),
	        cmocka_unit_test(test_parse_full),
	        cmocka_unit_test(test_parse_defaults),
	        cmocka_unit_test(test_parse_limits),
	        cmocka_unit_test(test_refuse_json_and_top),
	        cmocka_unit_test(test_refuse_texts),
	        cmocka_unit_test(test_refuse_language_place),
	        cmocka_unit_test(test_refuse_doc_example),
	        cmocka_unit_test(test_refuse_questions),
	        cmocka_unit_test(test_refuse_ids),
	        cmocka_unit_test(test_refuse_conditions),
	        cmocka_unit_test(test_emit_round_trip),
	        cmocka_unit_test(test_emit_canonical),
	        cmocka_unit_test(test_emit_defaults),
	        cmocka_unit_test(test_emit_numbers_exact),
	        cmocka_unit_test(test_emit_escaping),
	        cmocka_unit_test(test_lint_clean),
	        cmocka_unit_test(test_lint_no_story),
	        cmocka_unit_test(test_lint_labels),
	        cmocka_unit_test(test_lint_signification_count),
	        cmocka_unit_test(test_lint_same_text),
	        cmocka_unit_test(test_lint_same_text_perspectives),
	        cmocka_unit_test(test_lint_plain_language),
	        cmocka_unit_test(test_lint_officialese_once),
	        cmocka_unit_test(test_lint_plain_everywhere),
	        cmocka_unit_test(test_lint_json),
	        cmocka_unit_test(test_answers_story_text),
	        cmocka_unit_test(test_answers_choice_multi),
	        cmocka_unit_test(test_answers_scale_dyad_triad),
	        cmocka_unit_test(test_answers_triad_rounding),
	        cmocka_unit_test(test_answers_stones_pin_date_number),
	        cmocka_unit_test(test_answers_date_strict),
	        cmocka_unit_test(test_answers_null_and_required),
	        cmocka_unit_test(test_answers_full),
	        cmocka_unit_test(test_fingerprint),
	        cmocka_unit_test(test_fingerprint_reorder),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
