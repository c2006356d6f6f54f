-- 015_methods.sql: the catalogue of methods (werkvormen), seeded with the six formats of the seeds.
-- One catalogue for the installation: a method is know-how about how to talk
-- with residents, not data of one organisation (the server serves its first
-- organisation; a host of many municipalities would add an org_id here).
--
-- Every text is stored in Dutch (required where the model says so) and
-- English ('' when not written yet: the pages show it as missing). The step
-- plan and the tips are JSON arrays of {"nl": ..., "en": ...} in order: they
-- are always read and written whole with their method, never queried one by
-- one, and a JSON array keeps the order without a position column to renumber
-- on every edit. src/model/method.c is their only reader and writer.
--
-- The six methods from the seeds are inserted here, by the migration, and
-- not by code at start-up: a migration runs exactly once per database, in its
-- own transaction, so the seed can never overwrite an administrator's edit
-- of a method (nor bring back one), and every driver gets the same rows.
-- slug is stable (trajectories look a method up by it) and never edited.
CREATE TABLE methods (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE CHECK (length(slug) BETWEEN 1 AND 56),
	name_nl TEXT NOT NULL CHECK (name_nl <> ''),
	name_en TEXT NOT NULL DEFAULT '',
	goal_nl TEXT NOT NULL CHECK (goal_nl <> ''),
	goal_en TEXT NOT NULL DEFAULT '',
	target_group_nl TEXT NOT NULL DEFAULT '',
	target_group_en TEXT NOT NULL DEFAULT '',
	participants_nl TEXT NOT NULL DEFAULT '',
	participants_en TEXT NOT NULL DEFAULT '',
	interaction_nl TEXT NOT NULL DEFAULT '',
	interaction_en TEXT NOT NULL DEFAULT '',
	-- The rung on the participation ladder, lowest to highest.
	rung TEXT NOT NULL CHECK (rung IN ('informeren', 'raadplegen', 'adviseren', 'coproduceren',
	                                   'meebeslissen', 'zelfbeheer')),
	steps TEXT NOT NULL,
	tips TEXT NOT NULL DEFAULT '[]',
	-- 1 for the methods this migration brings; they stay builtin when edited.
	builtin INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	updated_by INTEGER REFERENCES users(id) ON DELETE SET NULL
);

INSERT INTO methods (slug, name_nl, name_en, goal_nl, goal_en, target_group_nl,
	target_group_en, participants_nl, participants_en, interaction_nl, interaction_en, rung,
	steps, tips, builtin, created_at, updated_at) VALUES (

	'keukentafelgesprek',
	'Keukentafelgesprek',
	'Kitchen-table conversation',
	'U haalt informatie op bij inwoners, ondernemers en organisaties. Het gesprek kan ook zorgen voor meer begrip voor een plan.',
	'You gather information from residents, entrepreneurs and organisations. The talk can also build more understanding for a plan.',
	'Mensen die direct in de buurt wonen of werken, en andere betrokkenen: ondernemers en organisaties.',
	'People who live or work right nearby, and other parties involved: entrepreneurs and organisations.',
	'2 tot 4 personen per gesprek, thuis aan de keukentafel of één op één via video',
	'2 to 4 people per talk, at home at the kitchen table or one to one by video',
	'Hoog',
	'High',
	'raadplegen',
	'[{"nl":"Nodig uit en vertel waarom. Maak het onderwerp zo concreet mogelijk. Leg uit waarom u juist deze mensen spreekt.","en":"Invite and explain why. Make the subject as concrete as you can. Explain why you talk with these people in particular."},{"nl":"Maak een afspraak. Is de afspraak ver weg? Stuur dan een herinnering. Regel hulp bij de techniek voor een gesprek via video.","en":"Make an appointment. Is it far ahead? Then send a reminder. Arrange technical help for a video talk."},{"nl":"Zeg aan het begin wat het doel is en hoeveel tijd u heeft. Zeg ook waarover mensen kunnen meepraten en wat u met hun inbreng doet.","en":"At the start, say what the goal is and how much time you have. Also say what people can have a say about and what you will do with their input."},{"nl":"Voer het gesprek. Luister naar de redenen achter een mening. Zeg waar het kan al welke punten u wel en niet meeneemt.","en":"Hold the talk. Listen for the reasons behind an opinion. Where you can, say already which points you will and will not take along."},{"nl":"Koppel persoonlijk terug. Vertel iedereen wat u met zijn of haar inbreng hebt gedaan. En waarom niet, als u iets niet meenam.","en":"Report back personally. Tell everyone what you did with their input. And why not, where you did not take something along."}]',
	'[{"nl":"Maak vooraf duidelijk waarover mensen kunnen meepraten. Zeg ook wat u met de inbreng gaat doen.","en":"Make clear beforehand what people can have a say about. Also say what you will do with their input."},{"nl":"Maak het zichtbaar. Neem een schets, een kaart of het plan mee. Online kunt u uw scherm delen.","en":"Make it visual. Bring a sketch, a map or the plan. Online, you can share your screen."},{"nl":"U kunt niet met alle huishoudens praten. Leg uit waarom u deze groep kiest. Zeg hoe anderen u kunnen bereiken met vragen.","en":"You cannot talk with every household. Explain why you chose this group. Say how others can reach you with questions."},{"nl":"Praat u online? Zorg dat u elkaar ziet, en niet alleen hoort.","en":"Talking online? Make sure you can see each other, not only hear each other."},{"nl":"Bedenk vooraf welke vragen u kunt verwachten. Bereid de antwoorden goed voor.","en":"Think beforehand about the questions you can expect. Prepare your answers well."}]',
	1,
	1795392000,
	1795392000);

INSERT INTO methods (slug, name_nl, name_en, goal_nl, goal_en, target_group_nl,
	target_group_en, participants_nl, participants_en, interaction_nl, interaction_en, rung,
	steps, tips, builtin, created_at, updated_at) VALUES (

	'wmo-keukentafelgesprek',
	'Keukentafelgesprek in de Wmo',
	'Kitchen-table conversation in social support (Wmo)',
	'U brengt samen met de cliënt de situatie thuis in kaart. Wat lukt niet, en wat kan de cliënt zelf of met hulp van anderen? Daarna bepaalt de gemeente welke ondersteuning past.',
	'Together with the client you map the situation at home. What does not work, and what can the client do alone or with help from others? Then the municipality decides which support fits.',
	'Een cliënt die om ondersteuning vraagt, met mensen uit zijn of haar netwerk.',
	'A client who asks for support, with people from their network.',
	'1 cliënt, vaak met een naaste, en 1 consulent of klantmanager',
	'1 client, often with someone close, and 1 consultant or client manager',
	'Hoog',
	'High',
	'raadplegen',
	'[{"nl":"Maak een afspraak bij de cliënt thuis. Vraag of iemand uit het netwerk erbij wil zijn.","en":"Make an appointment at the client''s home. Ask if someone from their network wants to join."},{"nl":"Vraag naar het dagelijks leven. Wat gaat goed, wat is moeilijk, en wie helpt al?","en":"Ask about daily life. What goes well, what is hard, and who helps already?"},{"nl":"Laat de cliënt het verhaal in eigen woorden vertellen. Schrijf uw eigen duiding apart op.","en":"Let the client tell the story in their own words. Write down your own interpretation separately."},{"nl":"Bespreek samen welke oplossing past. Leg uit wat de gemeente wel en niet kan doen.","en":"Discuss together which solution fits. Explain what the municipality can and cannot do."},{"nl":"Leg het gesprek vast in een verslag. De cliënt krijgt dit verslag.","en":"Record the talk in a report. The client receives this report."},{"nl":"Kijk later samen terug. Heeft de ondersteuning geholpen?","en":"Look back together later. Did the support help?"}]',
	'[{"nl":"Gebruik vaste duidingsvragen. Dan kunt u de verhalen van veel gesprekken samen bekijken.","en":"Use fixed signification questions. Then you can look at the stories of many talks together."},{"nl":"Houd het verhaal van de cliënt en uw eigen duiding apart. Zo blijven ze allebei zichtbaar.","en":"Keep the client''s story and your own interpretation apart. That way both stay visible."},{"nl":"Deel wat u leert met collega''s. Zo blijft de ervaring niet bij één medewerker.","en":"Share what you learn with colleagues. That way the experience does not stay with one person."}]',
	1,
	1795392000,
	1795392000);

INSERT INTO methods (slug, name_nl, name_en, goal_nl, goal_en, target_group_nl,
	target_group_en, participants_nl, participants_en, interaction_nl, interaction_en, rung,
	steps, tips, builtin, created_at, updated_at) VALUES (

	'spiegelgesprek',
	'Spiegelgesprek',
	'Mirror conversation',
	'Ambtenaren horen wat cliënten vinden van de dienstverlening. De deelnemers doen voorstellen om de dienstverlening beter te maken.',
	'Officials hear what clients think of the service. The participants make proposals to improve the service.',
	'Cliënten, klanten of gebruikers van een dienst van de gemeente.',
	'Clients, customers or users of a municipal service.',
	'8 tot 12 deelnemers, een onafhankelijke gespreksleider en een paar ambtenaren die luisteren',
	'8 to 12 participants, an independent facilitator and a few officials who listen',
	'Middel: de deelnemers praten, de ambtenaren luisteren',
	'Medium: the participants talk, the officials listen',
	'adviseren',
	'[{"nl":"Kies een dienst of onderwerp. Nodig een groep cliënten uit en zeg waarom u hen vraagt.","en":"Choose a service or subject. Invite a group of clients and say why you ask them."},{"nl":"Maak vooraf een vragenlijst. Leg een deel van de vragen vast, zodat u de opbrengst goed kunt gebruiken.","en":"Prepare a list of questions beforehand. Fix part of the questions, so that you can use the outcome well."},{"nl":"Een onafhankelijke gespreksleider vraagt de deelnemers naar hun ervaringen en mening. De ambtenaren luisteren alleen.","en":"An independent facilitator asks the participants about their experiences and opinions. The officials only listen."},{"nl":"Vraag de deelnemers om van hun ervaringen voorstellen te maken. Wat kan beter?","en":"Ask the participants to turn their experiences into proposals. What can be better?"},{"nl":"Aan het eind stellen de ambtenaren hun vragen aan de deelnemers.","en":"At the end, the officials ask the participants their questions."},{"nl":"Vertel de deelnemers later wat er met hun voorstellen is gebeurd.","en":"Later, tell the participants what happened with their proposals."}]',
	'[{"nl":"Laat het gesprek leiden door iemand die niet bij de dienst werkt. Dan praten mensen vrijer.","en":"Let someone who does not work for the service lead the talk. Then people speak more freely."},{"nl":"Vaak is er geen grote verandering nodig. Kleine verbeteringen maken al verschil.","en":"Often no big change is needed. Small improvements already make a difference."},{"nl":"Mensen willen merken dat hun mening telt. Laat zien wat u met hun inbreng doet.","en":"People want to notice that their opinion counts. Show what you do with their input."}]',
	1,
	1795392000,
	1795392000);

INSERT INTO methods (slug, name_nl, name_en, goal_nl, goal_en, target_group_nl,
	target_group_en, participants_nl, participants_en, interaction_nl, interaction_en, rung,
	steps, tips, builtin, created_at, updated_at) VALUES (

	'dialoogtafel',
	'Dialoogtafel',
	'Dialogue table',
	'Inwoners, college, raad en ambtenaren praten als gelijken over een lastig onderwerp. Samen maken zij afspraken.',
	'Residents, the executive, the council and officials talk as equals about a difficult subject. Together they make agreements.',
	'Alle inwoners die mee willen doen, via een open oproep. Ook ambtenaren, bestuurders en raadsleden.',
	'All residents who want to take part, through an open call. Also officials, executives and council members.',
	'Ongeveer 40 inwoners aan een aantal tafels, met 1 procesbegeleider per tafel',
	'About 40 residents at a number of tables, with 1 facilitator per table',
	'Hoog',
	'High',
	'meebeslissen',
	'[{"nl":"Spreek vooraf met het bestuur af wat er met de uitkomst gebeurt. Het liefst neemt de raad de afspraken één op één over.","en":"Agree with the executive beforehand what happens with the outcome. Preferably the council adopts the agreements one to one."},{"nl":"Leid ambtenaren op als procesbegeleider. Zij helpen de tafel naar een resultaat en bewaken het evenwicht in het gesprek.","en":"Train officials as facilitators. They help the table towards a result and keep the balance in the conversation."},{"nl":"Werf deelnemers met een open oproep via verschillende kanalen.","en":"Recruit participants with an open call through different channels."},{"nl":"Houd drie sessies. Werk stap voor stap naar een set afspraken.","en":"Hold three sessions. Work step by step towards a set of agreements."},{"nl":"Praten de tafels online? Help mensen die minder handig zijn met de computer, vooraf en tijdens de sessie.","en":"Are the tables online? Help people who are less handy with computers, before and during the session."},{"nl":"Leg de afspraken voor aan de raad. Bespreek daarna met de deelnemers hoe het ging.","en":"Present the agreements to the council. Then discuss with the participants how it went."}]',
	'[{"nl":"Iedereen aan tafel is gelijk. Iedere stem telt even zwaar.","en":"Everyone at the table is equal. Every voice counts the same."},{"nl":"Bepaal de uitkomst niet vooraf. Neem de uitkomst daarna echt over.","en":"Do not decide the outcome beforehand. Then really adopt the outcome."},{"nl":"Investeer in goede hulp bij online sessies. Dat kost tijd, maar zonder die hulp doen minder mensen mee.","en":"Invest in good support for online sessions. It takes time, but without it fewer people take part."},{"nl":"U kunt de tafels indelen naar de vier rollen van de overheid: rechtmatig, presterend, netwerkend en participerend.","en":"You can arrange the tables by the four roles of government: lawful, performing, networking and participating."},{"nl":"De methode werkt goed bij onderwerpen waarover mensen het oneens zijn.","en":"The method works well for subjects people disagree about."}]',
	1,
	1795392000,
	1795392000);

INSERT INTO methods (slug, name_nl, name_en, goal_nl, goal_en, target_group_nl,
	target_group_en, participants_nl, participants_en, interaction_nl, interaction_en, rung,
	steps, tips, builtin, created_at, updated_at) VALUES (

	'burgerinitiatief',
	'Eerste gesprek over een burgerinitiatief',
	'First conversation on a citizen initiative',
	'U begint een goede samenwerking met inwoners die een idee hebben voor hun buurt. U leert elkaar en het idee kennen.',
	'You begin a good collaboration with residents who have an idea for their neighbourhood. You get to know each other and the idea.',
	'Actieve inwoners met een idee, en de ambtenaar die hen helpt.',
	'Active residents with an idea, and the official who helps them.',
	'1 of 2 ambtenaren en de inwoners achter het idee',
	'1 or 2 officials and the residents behind the idea',
	'Hoog',
	'High',
	'coproduceren',
	'[{"nl":"Vraag naar het idee. Wat willen de inwoners bereiken, en voor wie?","en":"Ask about the idea. What do the residents want to achieve, and for whom?"},{"nl":"Luister eerst. Zoek samen naar kansen voordat u over regels praat.","en":"Listen first. Look for chances together before you talk about rules."},{"nl":"Bespreek de rollen. Wat doen de inwoners zelf, en wat doet de gemeente?","en":"Discuss the roles. What do the residents do themselves, and what does the municipality do?"},{"nl":"Noem samen wat nodig is om het idee te laten slagen.","en":"Name together what is needed to make the idea succeed."},{"nl":"Spreek de volgende stappen af. Zeg wie wat doet en wanneer u elkaar weer spreekt.","en":"Agree on the next steps. Say who does what and when you will talk again."}]',
	'[{"nl":"Gebruik een vaste checklist voor het eerste gesprek. Dan vergeet u niets.","en":"Use a fixed checklist for the first talk. Then you forget nothing."},{"nl":"Let op vaste patronen in de samenwerking. Probeer samen iets nieuws uit.","en":"Watch out for fixed patterns in the collaboration. Try something new together."},{"nl":"Denk ook aan uw rol binnen de gemeente. Wie moet u binnen de organisatie meenemen?","en":"Also think of your role inside the municipality. Whom do you need to involve inside the organisation?"}]',
	1,
	1795392000,
	1795392000);

INSERT INTO methods (slug, name_nl, name_en, goal_nl, goal_en, target_group_nl,
	target_group_en, participants_nl, participants_en, interaction_nl, interaction_en, rung,
	steps, tips, builtin, created_at, updated_at) VALUES (

	'vertelpunt',
	'Open vertelpunt',
	'Open storytelling point',
	'Inwoners en cliënten vertellen hun ervaring in hun eigen woorden. Door veel verhalen samen te bekijken, ziet u wat werkt en wat niet.',
	'Residents and clients tell their experience in their own words. By looking at many stories together, you see what works and what does not.',
	'Iedere inwoner of cliënt die een ervaring wil delen.',
	'Every resident or client who wants to share an experience.',
	'Zoveel als u wilt: één persoon per verhaal',
	'As many as you like: one person per story',
	'Laag tot middel',
	'Low to medium',
	'raadplegen',
	'[{"nl":"Maak een vragenlijst met één open vraag en 5 tot 7 duidingsvragen. Test de vragenlijst eerst.","en":"Make an interview script with one open question and 5 to 7 signification questions. Test the script first."},{"nl":"Kies hoe mensen vertellen: in een gesprek, op een tablet, op de telefoon of op papier.","en":"Choose how people tell: in a talk, on a tablet, on the phone or on paper."},{"nl":"Zeg bij de vragen wie het verhaal leest en wat u ermee doet.","en":"With the questions, say who reads the story and what you do with it."},{"nl":"Verzamel de verhalen. Luister regelmatig, bijvoorbeeld elk kwartaal.","en":"Collect the stories. Listen regularly, for example every quarter."},{"nl":"Zoek patronen. Welke aanpak werkt in welke situatie? Vergelijk ook periodes.","en":"Look for patterns. Which approach works in which situation? Also compare periods."},{"nl":"Vertel de vertellers wat u hebt geleerd en wat u verandert.","en":"Tell the tellers what you learned and what you change."}]',
	'[{"nl":"Met duidingsvragen geeft de verteller zelf betekenis aan het verhaal. Dan hoeft u minder te raden.","en":"With signification questions the teller gives the story its meaning. Then you need to guess less."},{"nl":"Gebruik de verhalen ook om met collega''s over uw vak te praten.","en":"Also use the stories to talk with colleagues about your craft."},{"nl":"Volg mensen over een langere tijd. Zo ziet u of een aanpak echt helpt.","en":"Follow people over a longer time. That way you see whether an approach really helps."}]',
	1,
	1795392000,
	1795392000);
