"""Sentences of the Ukraine issue that are not about Trump, and the Ukraine fillers.

``ACTOR_PARAGRAPHS`` are paragraphs led by another actor (Zelensky, a European leader, a
Russian official, a member of the US team); ``CONTEXT`` holds the facts and figures of each
sub-topic; ``CLOSINGS`` end an article. None of them mentions Trump, so a paragraph built from
them never becomes a Trump passage (the US team's paragraphs do carry the decoy "Trump
administration").
"""

from __future__ import annotations

from framing.synthetic._render import Template, templates

# kind -> (group or actor of the focus, templates with {S} as that actor)
ACTOR_PARAGRAPHS: dict[str, tuple[str, tuple[Template, ...]]] = {
    "zelensky": (
        "zelensky",
        templates(
            (
                "{S} said Ukraine would not give up land it still controls, including what "
                "remains of the Donetsk region.",
                '{S} thanked European partners for their support and called for "real pressure" '
                "on Moscow.",
                "Speaking in {ukr_city}, {S} said any ceasefire had to be backed by firm security "
                "guarantees.",
                '{S} said his negotiators were ready to meet "in any format" as long as Ukraine '
                "had a seat at the table.",
                "{S} accused Russia of stalling while its drones struck {ukr_city} overnight.",
                "{S's} office said he had spoken by phone with {euleader} about the next steps.",
                "{S} said Ukraine needed more air {defense} systems before winter set in.",
                'In his nightly video address, {S} said Russia was "trying to buy time."',
                '{S} said Kyiv had done its part and that "the ball is now in Russia\'s court."',
                "{S} said he was ready to meet {putin} face to face, something the Kremlin has "
                "so far refused.",
                "{S} warned that a freeze along the current line would only give Moscow time to "
                "regroup.",
                "{S} signed a decree on {day} tightening the rules on military service.",
                "{S} said no decision about Ukraine could be taken without Ukraine.",
                "{S} visited troops near {front_town} and handed out medals.",
                "{S} named {ukrofficial} to lead the Ukrainian delegation.",
            )
        ),
    ),
    "europe": (
        "euleader",
        templates(
            (
                "{S} said Europe was prepared to do more for its own security and for Ukraine's.",
                "{S} called for an unconditional ceasefire before any talks on territory.",
                "{S} warned that a deal imposed on Kyiv would not last.",
                "{S} said the coalition of the willing was ready to deploy a reassurance force "
                "once the fighting stopped.",
                "{S} told reporters in {eu_city} that sanctions would stay in place until Russia "
                "agreed to a truce.",
                "{S} said European leaders would meet again {when} to coordinate their position.",
                '{S} said using frozen Russian assets to help Ukraine was "a question of when, '
                'not if."',
                "{S} said Europe had to be at the table for any discussion of its security.",
                "{S} urged allies to speed up deliveries of air {defense} to Ukraine.",
                "{S} said planning for a multinational force was well advanced.",
                "{S} spoke with {zelensky} by phone on {day} and pledged continued support.",
                "{S} said the next package of sanctions would target Russia's shadow fleet of "
                "oil tankers.",
            )
        ),
    ),
    "russia": (
        "russia",
        templates(
            (
                "{S} said Moscow remained open to talks but would not accept European troops in "
                "Ukraine.",
                '{S} insisted that the "root causes" of the conflict had to be addressed in any '
                "agreement.",
                "{S} said Russia's conditions were well known and had not changed.",
                "{S} accused European governments of trying to sabotage the talks.",
                "{S} told state media that a summit would need careful preparation.",
                "{S} said Russian forces were advancing on several fronts and held the "
                "initiative.",
                '{S} said Moscow was studying the proposal but had "many questions."',
                '{S} dismissed the latest sanctions as "an unfriendly act" that would not change '
                "Russia's course.",
                '{S} said the conversation with {usofficial} had been "useful."',
                "{S} said any agreement would have to recognize the situation on the ground.",
            )
        ),
    ),
    "usofficials": (
        "usofficial",
        templates(
            (
                '{S} said the administration wanted to see "real progress" within days.',
                "{S} met {kremlin} in {talks_city} for talks that lasted about {n_hours} hours.",
                "{S} told reporters that both sides would have to make painful concessions.",
                "{S}, one of the most influential voices in the [[Trump administration]], flew "
                "to {talks_city} on {day}.",
                '{S} said the draft had been "refined" after comments from Kyiv.',
                "{S} would brief European counterparts {when}, officials in the "
                "[[Trump administration]] said.",
                "{S} declined to discuss the proposal, saying negotiations were at a sensitive "
                "stage.",
                "{S} had spoken with {ukrofficial} twice this week, a [[Trump administration]] "
                "official said.",
                '{S} told a Senate hearing on {day} that the talks were "a work in progress."',
                "{S} landed in {talks_city} shortly after {clock} a.m. and went straight into "
                "meetings.",
            )
        ),
    ),
}

CONTEXT: dict[str, tuple[Template, ...]] = {
    "ukraine_summits": templates(
        (
            "The meeting at {venue} lasted about {n_hours} hours, longer than officials had "
            "planned.",
            "Delegations spent the morning on technical issues before the principals joined "
            "them{attrib}.",
            "No joint statement was issued at the end of the meeting.",
            "Security around {venue} was tight, with roads closed from early morning.",
            "The agenda included prisoner exchanges, the return of deported children and the "
            "future of the Zaporizhzhia nuclear plant.",
            "Diplomats said the format of the next meeting had not been settled{attrib}.",
            "Translators, note-takers and a handful of advisers were the only others in the "
            "room.",
            "Reporters waited outside for several hours before the delegations emerged.",
            "The two delegations exchanged written proposals at the end of the day.",
            "Protocol officers had rehearsed the arrival of the motorcades the night before.",
            "Officials played down expectations ahead of the meeting{attrib}.",
        )
    ),
    "ukraine_guarantees": templates(
        (
            "Under the plans discussed, European troops would be stationed away from the front "
            "line to deter a new attack.",
            "Some {n_countries} countries have said they could contribute to a reassurance force.",
            "Officials described the proposed guarantees as similar in spirit to Article 5 of "
            "NATO's founding treaty.",
            "The guarantees would include air policing, training missions and naval patrols in "
            "the Black Sea.",
            "Planners in {eu_city} have drawn up options ranging from a few thousand troops to a "
            "much larger presence.",
            "Moscow has said it would regard any Western troops in Ukraine as legitimate targets.",
            "A key question is what would happen if a ceasefire were broken.",
            "Diplomats said the wording of the guarantees was still being negotiated line by "
            "line.",
            "Ukrainian officials want the guarantees ratified by parliaments so that they outlast "
            "any single government.",
            "Military planners met in {eu_city} to discuss logistics, air cover and command "
            "arrangements.",
        )
    ),
    "ukraine_ceasefire": templates(
        (
            "The proposal would freeze fighting along the current line of contact for {n_days} "
            "days.",
            "Monitoring a truce along a front line more than 1,000 {kilometers} long would be a "
            "formidable task.",
            "Russia has attached a long list of conditions to any halt in the fighting.",
            "The two sides agreed to exchange {n_pow} prisoners of war each{attrib}.",
            "An earlier partial truce on strikes against energy facilities collapsed within "
            "weeks.",
            "Negotiators have discussed a demilitarized zone, but the two sides disagree on where "
            "it would run.",
            "Previous ceasefire deals in eastern Ukraine, signed in Minsk in 2014 and 2015, broke "
            "down repeatedly.",
            "A memorandum setting out each side's terms was exchanged at the talks.",
            "Officials said technical teams would work out how violations would be reported and "
            "verified.",
            "The fate of the Zaporizhzhia nuclear plant remains one of the thorniest issues.",
        )
    ),
    "ukraine_sanctions": templates(
        (
            "Brent crude rose {pct} percent after the announcement, to about {oil_price} dollars "
            "a barrel.",
            "The measures target Rosneft and Lukoil, which together account for roughly half of "
            "Russia's crude exports.",
            "India and China remain the largest buyers of Russian oil.",
            "The European Union adopted its latest package of sanctions against Russia "
            "{when_past}.",
            "Russia's economy has slowed sharply this year, with high interest rates squeezing "
            "businesses.",
            "About {n_bn} billion euros of Russian central bank assets remain frozen in Europe, "
            "most of them in Belgium.",
            "A bill sponsored by {graham} would allow tariffs of up to 500 percent on countries "
            "that buy Russian oil.",
            "Analysts said the new measures could cut Moscow's oil revenue by as much as {pct2} "
            "percent.",
            "The ruble weakened against the dollar in Moscow trading on {day}.",
            "Shipping data showed dozens of tankers from Russia's so-called shadow fleet idling "
            "off the coast.",
            "Russian officials said the economy had adapted to sanctions and would continue to "
            "grow.",
        )
    ),
    "ukraine_battlefield": templates(
        (
            "Russia launched {n_drones} drones and {n_missiles} missiles overnight, Ukraine's air "
            "force said, and most were shot down.",
            "Fighting was heaviest around {front_town}, where Russian troops have been pressing "
            "for months.",
            "A strike on {ukr_city} killed {n_killed} people and damaged apartment blocks, local "
            "officials said.",
            "Ukraine said its long-range drones had hit an oil refinery deep inside Russia.",
            "Russian forces have made slow but steady gains in the east this year, according to "
            "military analysts.",
            "Power was cut to thousands of homes in {ukr_city} after an attack on energy "
            "infrastructure.",
            "Ukrainian commanders say they are short of infantry on parts of the front.",
            "Russia's {defense} ministry said its troops had taken control of a village near "
            "{front_town}.",
            "Emergency crews were still at work at 6 a.m. on {day}, pulling survivors from the "
            "rubble.",
            "Air raid sirens sounded across much of Ukraine, including in the capital, for "
            "several hours.",
            "Satellite images showed new trenches and anti-tank obstacles along the front.",
        )
    ),
    "ukraine_aid": templates(
        (
            "The package includes {weapon}, along with ammunition and spare parts.",
            "Under the new arrangement, European allies buy American weapons and transfer them "
            "to Ukraine.",
            "Germany and the Netherlands have each pledged hundreds of millions of euros to the "
            "scheme.",
            "Ukrainian officials have asked for at least {n_patriot} more Patriot batteries.",
            "Deliveries were briefly paused {when_past} while the Pentagon reviewed its "
            "stockpiles.",
            "Tomahawk cruise missiles, with a range of about 1,600 miles, would let Ukraine "
            "strike deep inside Russia.",
            "Congress approved about 175 billion dollars in aid for Ukraine between 2022 and "
            "2024.",
            "European countries have together provided more military aid than the {US} this "
            "year, according to the Kiel Institute.",
            "Production of artillery shells in Europe has risen sharply but still falls short "
            "of demand.",
            "Officials said the first deliveries were expected within weeks.",
        )
    ),
}

ANALYSIS: tuple[Template, ...] = templates(
    (
        "Analysts said the gap between the two sides remained wide on the central questions of "
        "territory and security.",
        "A senior European diplomat, speaking on condition of anonymity, described the mood as "
        '"cautiously hopeful."',
        "Polls in Ukraine show that most people oppose giving up territory in exchange for a halt "
        "to the fighting.",
        "Russian officials have repeatedly said that Ukraine must withdraw from the parts of the "
        "Donetsk region it still holds.",
        "Ukrainian officials privately worry that Kyiv will be pressured into concessions it "
        "cannot sell at home.",
        "European governments have been trying for months to make sure they are not left out of "
        "the talks.",
        "Military analysts said neither side appeared close to a decisive breakthrough on the "
        "battlefield.",
        "Diplomats in {eu_city} said the next few weeks would show whether the process had real "
        "momentum.",
        "Former officials said the outline resembled proposals discussed, and abandoned, in "
        "2022.",
        "Critics in Kyiv said any agreement had to include the return of children taken to "
        "Russia.",
        "There was little sign of compromise in public statements from either capital.",
        "Economists estimate that rebuilding Ukraine will cost more than 500 billion dollars over "
        "the next decade.",
        "The Kremlin has insisted that any settlement must also address NATO's expansion.",
        "Opinion in European capitals is divided over how far to trust Moscow's promises.",
    )
)

CLOSINGS: tuple[Template, ...] = templates(
    (
        "Talks are expected to resume {when}{attrib}.",
        "Another round of meetings is planned in {talks_city} {when}, though no date has been "
        "set.",
        "The Kremlin said it would respond {when}.",
        "Ukraine's parliament is due to take up the issue {when}.",
        "European foreign ministers are to meet in Brussels {when}.",
        "It was not immediately clear when the leaders would speak again.",
        "Officials cautioned that many details remained unresolved.",
        "Neither side published the full text of the documents discussed.",
    )
)

TITLES: dict[str, tuple[str, ...]] = {
    "ukraine_summits": (
        "Leaders meet as pressure mounts for progress on Ukraine",
        "Summit diplomacy: who wants what",
        "Inside the room: a long day of talks on Ukraine",
        "Diplomats prepare the ground for another meeting",
    ),
    "ukraine_guarantees": (
        "What security guarantees for Ukraine could look like",
        "Europe weighs a force to keep the peace in Ukraine",
        "Guarantees, troops and trust: the hardest questions",
    ),
    "ukraine_ceasefire": (
        "Ceasefire proposal faces hard road",
        "Truce talks stall over territory",
        "Prisoner exchange offers rare sign of progress",
        "What a ceasefire in Ukraine would require",
    ),
    "ukraine_sanctions": (
        "Oil markets jittery as sanctions bite",
        "Russia's war economy under strain",
        "Frozen assets debate divides Europe",
        "New sanctions target Russian energy",
    ),
    "ukraine_battlefield": (
        "Overnight strikes hit Ukrainian cities",
        "Fighting grinds on in the east",
        "Drone war escalates along the front",
        "Russia claims gains near key town",
    ),
    "ukraine_aid": (
        "New weapons package for Ukraine takes shape",
        "Patriots, shells and who pays for them",
        "Kyiv presses allies for more air {defense}",
        "Aid pipeline for Ukraine: what is arriving and when",
    ),
}

FILLERS_UKRAINE: dict[str, tuple[str, ...]] = {
    "day": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "ukr_city": (
        "Kyiv", "Kharkiv", "Odesa", "Dnipro", "Zaporizhzhia", "Lviv", "Sumy", "Kryvyi Rih",
        "Chernihiv", "Poltava", "Mykolaiv", "Kherson",
    ),
    "front_town": (
        "Pokrovsk", "Kostiantynivka", "Huliaipole", "Kupiansk", "Siversk", "Myrnohrad", "Lyman",
        "Vovchansk", "Chasiv Yar", "Toretsk",
    ),
    "eu_city": (
        "Paris", "London", "Berlin", "Brussels", "Rome", "Helsinki", "Warsaw", "Copenhagen",
    ),
    "talks_city": (
        "Riyadh", "Istanbul", "Geneva", "Abu Dhabi", "Moscow", "Miami", "Berlin", "Paris",
    ),
    "weapon": (
        "Patriot air {defense} systems", "HIMARS rocket launchers", "155mm artillery shells",
        "long-range drones", "interceptor missiles", "armored vehicles", "Stinger missiles",
    ),
    "deadline": (
        "before the end of the year", "within weeks", "in the coming days", "soon", "by the end "
        "of the month", "before the summer", "in short order",
    ),
    "when": (
        "next week", "in the coming days", "later this month", "after the weekend", "on "
        "{day}", "early next month",
    ),
    "when_past": ("last month", "earlier this year", "in the spring", "over the summer"),
    "attrib": (
        "", "", "", ", officials said", ", according to people familiar with the discussions",
        ", two diplomats said", ", a White House official said", ", aides said",
        ", according to a person briefed on the meeting",
    ),
    "where": (
        "at the White House", "aboard Air Force One", "in the Oval Office", "outside the West "
        "Wing", "at a news conference", "before boarding his plane",
    ),
    "said_when": ("", "", " on {day}", " later that day", " at a rally", " in an interview"),
    "us_trip": ("Scotland", "the Middle East", "Florida", "New York", "Pennsylvania", "Texas"),
    "golf": ("Bedminster, New Jersey", "West Palm Beach, Florida", "Sterling, Virginia"),
}
