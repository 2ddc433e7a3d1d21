"""How a Trump passage says that he is a peacemaker, an isolationist or a skeptic (or not).

Every template names Trump through ``{S}``. For each role there are five pools:

``cue``
    the obvious wording (deal, ceasefire, Europe should pay, doubt, skeptical ...);
``paraphrase``
    the same idea without the obvious words ("until the guns fell silent");
``quote``
    a direct quotation, framed by a shared set of attribution frames;
``weak``
    hedged or half-said, used for the ambiguous passages ("we'll see what happens");
``negated``
    the role's cue words in a sentence that denies the role ("he was not walking away"), used
    in passages that do *not* carry it.

``OUTLET_WORDING`` gives each outlet its own phrasings for some roles, so a classifier trained
on other outlets meets wording it has not seen. ``NEUTRAL`` sentences are about Trump but carry
no role; ``DISTRACTORS`` give another actor a role's cue words inside a Trump passage.
"""

from __future__ import annotations

from framing.synthetic._render import Template, templates

_QUOTE_FRAMES = (
    '"{QUOTE}," {S} told reporters {where}.',
    '{S} said: "{QUOTE}."',
    '"{QUOTE}," {S} said{said_when}.',
    'In a post on his social media platform, {S} wrote: "{QUOTE}."',
    '"{QUOTE}," {S} said when asked about {event}.',
    'Asked about the war, {S} put it bluntly: "{QUOTE}."',
)


def _quotes(slot: str) -> tuple[Template, ...]:
    return templates(frame.replace("QUOTE", slot) for frame in _QUOTE_FRAMES)


ROLE_TEMPLATES: dict[str, dict[str, tuple[Template, ...]]] = {
    "peacemaker": {
        "cue": templates(
            (
                "{S} said he was determined to broker a peace deal between Moscow and Kyiv "
                "{deadline}.",
                "{S} pressed both sides to accept a ceasefire, arguing that the killing had gone "
                "on far too long.",
                "{S} has made ending the war a centerpiece of his legacy, and he again promised "
                "a deal {deadline}.",
                "{S} claimed credit for bringing the two sides back to the negotiating table.",
                '{S} said a peace agreement was "closer than it has ever been" after the latest '
                "round of talks.",
                "{S} urged {putin} and {zelensky} to agree to an immediate truce along the "
                "current front line.",
                "{S} cast himself as the only leader capable of negotiating an end to the war.",
                "{S} again floated a three-way summit with {putin} and {zelensky} to hammer out a "
                "settlement.",
                "{S} sent {usofficial} to {talks_city} to push the peace talks forward{attrib}.",
                "{S} said he wanted a ceasefire in place {deadline} and would keep mediating "
                "until he got one.",
                "{S} hailed {meeting} as a step toward peace and said more talks would follow.",
                '{S} said he was "very confident" a deal could be reached, calling himself a '
                "peacemaker at heart.",
                "{S's} aides said he believed his rapport with both leaders could deliver a "
                "negotiated settlement.",
                "{S} said the outline of a peace deal was on the table and urged both sides to "
                "seize it.",
                "{S} said he would personally oversee the negotiations and expected a deal "
                "{deadline}.",
            )
        ),
        "paraphrase": templates(
            (
                "{S} said he wanted the two men in the same room before the end of the month.",
                "{S} spent much of {day} on the phone, first with {putin} and then with "
                "{zelensky}, carrying messages between them.",
                "{S} told aides he wanted to be remembered as the man who stopped the bloodshed.",
                "{S} said he would keep calling both capitals until the guns fell silent.",
                '{S} predicted that the two sides would "get there" within weeks.',
                "{S's} advisers said he saw a breakthrough within reach and had cleared his "
                "schedule to close it out.",
                '{S} described {meeting} as "a ten" and said the hardest part was behind them.',
                "{S} said he had ended other wars and saw no reason this one should be "
                "different.",
                '{S} said he was ready to fly anywhere, "Moscow, Kyiv, wherever," if it would '
                "stop the fighting.",
                "{S} said the moment had come for both leaders to stop the dying and sign on.",
                "{S} said he had walked both delegations through a map of the front line and "
                'found "a lot of common ground."',
                "{S} spoke of an outcome that would let families on both sides go home.",
                "{S} said he would not rest until the shooting stopped, whatever it took.",
            )
        ),
        "quote": _quotes("pm_quote"),
        "weak": templates(
            (
                "{S} did not rule out another meeting with {putin} {deadline}.",
                '{S} said he would "see what can be done" before the next round.',
                "{S} said there had been some progress, without saying what it was.",
                'Asked whether an agreement was near, {S} said only that "things are moving."',
                '{S} said it was "possible" the two leaders would meet, though he gave no date.',
                "It is unclear whether {S} still intends to host both leaders together.",
                "{S} said his team was still talking to everyone involved.",
            )
        ),
        "negated": templates(
            (
                "{S} stopped short of claiming any breakthrough.",
                "{S} declined to predict when, or whether, a ceasefire might come.",
                "{S} made no new push for a truce on {day}, aides said.",
                "{S} did not press either side for a deal during the call{attrib}.",
                "There was no talk of a peace deal when {S} spoke to reporters{attrib}.",
                "{S} avoided any promise of a settlement this time.",
            )
        ),
    },
    "isolationist": {
        "cue": templates(
            (
                "{S} said Europe should pay for the weapons Ukraine needs, not American "
                "taxpayers.",
                "{S} ruled out sending American troops to Ukraine under any peace arrangement.",
                '{S} insisted the war was "Europe\'s problem" far more than America\'s.',
                "{S} framed his approach as America First, saying Washington had already spent "
                "too much on the conflict.",
                "{S} said the United States would no longer carry the burden of defending Europe "
                "on its own.",
                "{S} said NATO allies had to spend 5 percent of their economic output on "
                "{defense} or fend for themselves.",
                "{S} said European countries, not Washington, would buy the {weapon} and send "
                "them on to Kyiv.",
                "{S} said any security guarantee would have to come from Europe, with no "
                "American soldiers involved.",
                "{S} threatened to pull the {US} out of the diplomacy altogether if Europe did not "
                "do more.",
                "{S} said he was reluctant to commit more American money to a war he called a "
                "European responsibility.",
                "{S} repeated that America First meant an end to open-ended commitments abroad.",
                "{S} said Europe had to take the lead in its own {defense} and stop relying on "
                "Washington.",
            )
        ),
        "paraphrase": templates(
            (
                "{S} noted that an ocean separated the fighting from America and said that should "
                "guide Washington's role.",
                "{S} made clear that the next shipments would be bought in European capitals and "
                "merely routed through {US} depots.",
                "{S} said he had no intention of putting boots on the ground.",
                "{S} complained that Washington had been footing the bill for years while others "
                "watched.",
                "{S} said his priorities were at home, not in the fields of eastern Ukraine.",
                "{S} suggested Washington's role would shrink to that of a supplier, paid in full "
                "by its allies.",
                "{S} said Ukraine's {neighbors} should be the ones standing guard over any "
                "settlement.",
                "{S} said the days of the {US} writing blank checks were over.",
                "{S} told supporters that their money would be spent in Ohio and Texas, not in "
                "the Donbas.",
                "{S} said he would rather spend the money on American roads and factories.",
                "{S} said the countries next door had far more at stake and should act like it.",
            )
        ),
        "quote": _quotes("iso_quote"),
        "weak": templates(
            (
                'Asked about security guarantees, {S} said only that Europe would be "very '
                'involved."',
                "{S} gave few details about what Washington itself would contribute.",
                '{S} said it was "up to them now," without saying who he meant.',
                '{S} said the {US} role would be "whatever makes sense," declining to elaborate.',
                '{S} said he would leave the details of any force to "the people over there."',
                "It is unclear how much of the cost {S} expects Washington to bear.",
            )
        ),
        "negated": templates(
            (
                "{S} insisted he was not walking away from Ukraine.",
                "{S} rejected suggestions that Washington was washing its hands of the war.",
                "{S} did not rule out an American role in monitoring a future ceasefire.",
                '{S} said the {US} would stay "very much involved" in the effort.',
                "{S} said he had no plans to cut off intelligence sharing with Kyiv.",
                "{S} denied that he wanted Europe to handle the war alone.",
            )
        ),
    },
    "skeptic": {
        "cue": templates(
            (
                "{S} voiced doubt that {putin} was serious about ending the war.",
                "{S} questioned whether {zelensky} was ready to make peace.",
                "{S} said he was skeptical that more aid would change anything on the "
                "battlefield.",
                "{S} said he did not trust either side to keep its word.",
                "{S} cast doubt on the European plan, calling it unrealistic.",
                "{S} questioned the value of NATO and whether allies would ever meet their "
                "commitments.",
                '{S} said he was "not happy" with {putin} and not sure a deal could be reached '
                "at all.",
                "{S} expressed skepticism about the latest Russian offer, saying he had heard "
                "similar promises before.",
                "{S} said he doubted the talks would produce anything soon.",
                "{S} openly distrusted the Kremlin's assurances{attrib}.",
                '{S} said the Europeans had been "talking for years" and questioned their '
                "commitment.",
                "{S} questioned whether Kyiv could ever win back the territory it had lost.",
            )
        ),
        "paraphrase": templates(
            (
                "{S} said he had heard promises like that before and would believe them when he "
                "saw them.",
                '{S} said Kyiv "doesn\'t have the cards" and should be realistic about what it '
                "could get.",
                "{S} wondered aloud whether the billions sent to Kyiv had bought anything at all.",
                "{S} complained that {putin} had been stringing him along for months.",
                "{S} said the Europeans talked a great deal but rarely followed through.",
                "{S} said he did not want a wasted meeting and saw little point in sitting down "
                "again.",
                '{S} said {putin} "talks nice and then bombs everybody in the evening."',
                "{S} said he was tired of hearing that the next round would be different.",
                "{S} said he would wait to see whether Moscow's words were followed by deeds.",
                '{S} said {zelensky} was "no angel" and had made the talks harder.',
                "{S} said the alliance's members rarely did what they promised.",
            )
        ),
        "quote": _quotes("sk_quote"),
        "weak": templates(
            (
                '{S} said "we\'ll see what happens" when asked about the next round.',
                "It is unclear whether {S} still believes the talks can succeed.",
                "{S} stopped short of endorsing the European proposal.",
                '{S} said he would make a decision "in about two weeks."',
                "{S} offered no view on whether Moscow's latest offer was genuine.",
                "{S} paused for a long moment when asked about {putin's} intentions.",
            )
        ),
        "negated": templates(
            (
                "{S} dismissed suggestions that he distrusted {zelensky}.",
                "{S} said he was not questioning Kyiv's commitment to the process.",
                "{S} brushed aside reports that he doubted Europe's resolve.",
                "{S} said he did not doubt that Ukraine's army could hold the line.",
                "{S} said he had no reason to question the good faith of the Europeans.",
            )
        ),
    },
}

QUOTES: dict[str, tuple[str, ...]] = {
    "pm_quote": (
        "We're going to get it done, and I think we're going to get it done fairly quickly",
        "I want to see the killing stop, and I think both of them want that too",
        "We had a very productive meeting, and I think we're very close",
        "Nobody else could have brought these two together",
        "I've settled a lot of wars, and this one is going to get settled too",
        "It's time to make a deal, it's time to stop the killing",
        "We're closer than we've ever been, and that's because of us",
        "I'd like to get this thing finished, for everybody",
        "There's a real chance here, a real chance, and we're going to take it",
    ),
    "iso_quote": (
        "This is not our war, this is a European war",
        "Europe has to step up, and they have to pay for it",
        "We're not sending anybody over there, that I can tell you",
        "We've given enough, frankly, more than enough",
        "It's their neighborhood, not ours",
        "We're selling the weapons now, we're not giving them away",
        "They'll pay a hundred percent, we're not paying anymore",
        "We have an ocean between us, a big, beautiful ocean",
    ),
    "sk_quote": (
        "I'm not sure they want to make a deal",
        "I don't think he's serious, I really don't",
        "They don't have the cards right now",
        "I'll believe it when I see it",
        "I didn't want to have a wasted meeting",
        "I'm disappointed, I thought we'd have had this done months ago",
        "Everybody says they want peace, and then nothing happens",
        "I've been let down before, so we'll see",
    ),
}

OUTLET_WORDING: dict[str, dict[str, tuple[Template, ...]]] = {
    "meridian": {
        "peacemaker": templates(
            (
                "{S} pressed ahead with the improvised, personality-driven diplomacy that has "
                "defined his approach to the war.",
                "{S}, eager for a signature achievement, kept up his personal outreach to both "
                "capitals.",
            )
        ),
        "isolationist": templates(
            (
                "{S} has treated the war as a transaction in which Europe is the paying customer.",
                "{S} has signaled, again and again, that Washington's patience and purse are "
                "limited.",
            )
        ),
        "skeptic": templates(
            (
                "{S} has made little secret of his misgivings about Kyiv's leadership.",
                "{S} again aired his grievances about Ukraine, a pattern that has unsettled "
                "allies.",
                "{S} has long been cool toward the alliance, and his remarks did little to "
                "reassure its members.",
            )
        ),
    },
    "harbor": {
        "peacemaker": templates(
            (
                "{S}, the dealmaker-in-chief, went back to work on the phones.",
                "{S} is on the verge of doing what the so-called experts said could never be "
                "done.",
                "{S} is showing the world how a real leader ends a war.",
            )
        ),
        "isolationist": templates(
            (
                "{S} is putting American wallets first.",
                "{S} told freeloading allies the free ride is over.",
                "{S} is done sending hard-earned American cash overseas with nothing to show for "
                "it.",
            )
        ),
        "skeptic": templates(
            (
                "{S} isn't buying the sob stories coming out of Brussels.",
                "{S} saw through the Kremlin's games from day one.",
            )
        ),
    },
    "northfield": {
        "peacemaker": templates(
            (
                "{S} says he wants the fighting to wind down, and soon.",
                "{S} has said more than once that he wants to be the one who ends it.",
            )
        ),
        "isolationist": templates(
            (
                "{S} has told voters in towns like ours that their tax dollars should stay at "
                "home.",
                "{S} has argued that the farms and factories of the heartland come before a war "
                "overseas.",
            )
        ),
        "skeptic": templates(
            ("{S} has been leery of the promises coming out of both Moscow and Kyiv.",)
        ),
    },
    "continental": {
        "peacemaker": templates(
            (
                "{S} once more cast himself as the arbiter between Moscow and Kyiv.",
                "{S} is keen to be seen as the man who brought the guns to a halt, whatever "
                "Europe thinks of the terms.",
            )
        ),
        "isolationist": templates(
            (
                "{S} has left little doubt that Europe will be footing the bill for its own "
                "security.",
                "{S} regards the continent's {defense} as, first and foremost, the continent's "
                "own affair.",
                "{S} has made Washington's retreat from European security something close to "
                "doctrine.",
            )
        ),
        "skeptic": templates(
            (
                "{S's} lukewarm view of the transatlantic alliance was on full display.",
                "{S} appears unconvinced that Europe's plans for Ukraine amount to much.",
                "{S} has shown scant faith in the assurances offered by Kyiv or by the European "
                "capitals.",
            )
        ),
    },
    "ledger": {
        "peacemaker": templates(
            (
                "{S's} push for a settlement has lifted hopes of reconstruction contracts worth "
                "billions.",
                "{S} is betting that an end to the fighting will calm energy markets and bring "
                "down prices.",
            )
        ),
        "isolationist": templates(
            (
                "{S} wants allies to pick up the tab for the weapons pipeline, a shift with "
                "direct consequences for {US} {defense} contractors.",
                "{S} has made clear that Washington expects to be paid, in full, for what it "
                "ships.",
            )
        ),
        "skeptic": templates(
            (
                "{S} has signaled that he sees little return on the money already sent to Kyiv.",
                "{S} has shown little confidence that easing sanctions would buy anything from "
                "Moscow.",
            )
        ),
    },
    "capitol": {
        "peacemaker": templates(
            (
                "{S} wants a signature foreign-policy win and has told Republican allies on the "
                "Hill as much.",
                "{S} is personally driving the process, according to two White House officials.",
            )
        ),
        "isolationist": templates(
            (
                "{S} has increasingly sided with the restraint wing of his party, led by {vance}.",
            )
        ),
        "skeptic": templates(
            (
                "{S} has privately groused that Kyiv keeps moving the goalposts, according to "
                "people who have spoken with him.",
                "{S} has told senators he is not convinced the Europeans will hold up their end.",
            )
        ),
    },
}

NEUTRAL: tuple[Template, ...] = templates(
    (
        "{S} spoke to reporters aboard Air Force One on the way back from {us_trip}.",
        "{S} is scheduled to meet {euleader} at the White House {when}.",
        "{S} posted a long message about {event} on his social media platform late on {day}.",
        "{S} spent part of the weekend at his golf club in {golf}, the White House said.",
        "{S} took questions for nearly {n_min} minutes in the Oval Office on {day}.",
        "{S} was briefed on the talks by {usofficial}{attrib}.",
        "{S} arrived at about {clock} a.m. local time, {n_min} minutes later than planned.",
        "{S} signed an unrelated executive order on {day} before turning to the war.",
        "{S's} remarks came hours after {kremlin} spoke to Russian state media.",
        "{S} made the comments at a news conference alongside {euleader}.",
        "{S} was joined in the Oval Office by {usofficial} and {usofficial2}.",
        "{S} flew in from New York, where he had spent the night at [[Trump Tower]].",
        "Several officials of the [[Trump administration]] sat in on the call with {S}.",
        "{S} traveled with first lady [[Melania Trump]], who did not attend the meeting.",
        "{S} returned to Washington, D.C., shortly after {clock} p.m. on {day}.",
        "{S} did not take questions after the meeting, and the White House released no "
        "readout.",
        "{S} has spoken with {putin} several times by phone since January.",
        "{S's} comments were broadcast live on the main cable news networks.",
    )
)

# (group or actor whose words these are, template with {S} as that actor)
DISTRACTORS: tuple[tuple[str, Template], ...] = tuple(
    (group, templates((text,))[0])
    for group, text in (
        ("euleader", "{S} said Europe was ready to carry more of the burden of Ukraine's "
         "{defense}."),
        ("euleader", "{S} said the coalition of the willing would send troops only after a "
         "ceasefire."),
        ("euleader", "{S} questioned whether Moscow could be trusted to honor any deal."),
        ("euleader", "{S} said Europe would pay for more weapons for Kyiv if needed."),
        ("putin", '{S} said Russia wanted peace, but only on terms that addressed the "root '
         'causes" of the war.'),
        ("kremlin", "{S} voiced doubt that the European proposals were serious."),
        ("zelensky", "{S} said he doubted Moscow was negotiating in good faith."),
        ("zelensky", '{S} said Ukraine was ready for a full ceasefire "today" if Russia agreed.'),
        ("rutte", "{S} said allies had agreed to spend far more on {defense} and would keep "
         "supplying Kyiv."),
        ("zelensky", "{S} said he was skeptical that Russia would honor a truce."),
    )
)
