"""The 2025 calendar of the Ukraine peace process and the monthly role curves.

Every Ukraine article hangs on one event: its date is a few days after the event, its lead
and facts come from the event, and its sub-topic leans on the event's sub-topic weights.

``MONTH_BASE`` holds, for each role, the probability that a Trump passage in that month carries
the role at an outlet with zero slant. Peacemaker peaks with the Jeddah ceasefire push, the
Alaska summit and the November plan; skeptic after the Oval Office clash, in July (Trump
"disappointed" in Putin) and around the dropped Budapest summit; isolationist in March (aid
pause), June (NATO 5 percent) and July (weapons bought by Europe).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from framing.synthetic._outlets import ROLES, Outlet

MONTH_BASE: dict[str, tuple[float, ...]] = {
    #              Jan   Feb   Mar   Apr   May   Jun   Jul   Aug   Sep   Oct   Nov   Dec
    "peacemaker": (0.34, 0.42, 0.50, 0.32, 0.40, 0.24, 0.22, 0.68, 0.36, 0.30, 0.58, 0.48),
    "isolationist": (0.26, 0.40, 0.48, 0.30, 0.28, 0.46, 0.44, 0.28, 0.34, 0.22, 0.26, 0.30),
    "skeptic": (0.24, 0.36, 0.58, 0.42, 0.34, 0.28, 0.48, 0.22, 0.38, 0.56, 0.34, 0.36),
}


def _logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def role_probability(outlet: Outlet, month: int, role: str) -> float:
    """P(a Trump passage of ``outlet`` in ``month`` carries ``role``): month base plus slant."""
    z = _logit(MONTH_BASE[role][month - 1]) + outlet.slant[role]
    return 1.0 / (1.0 + math.exp(-z))


def role_probabilities(outlet: Outlet, month: int) -> tuple[float, ...]:
    """The three role probabilities, in the order of ``ROLES``."""
    return tuple(role_probability(outlet, month, role) for role in ROLES)


@dataclass(frozen=True, slots=True, eq=False)
class Event:
    """One dated event, with the sentences and headlines articles about it draw on."""

    key: str
    date: dt.date
    dateline: str
    label: str
    venue: str
    city: str
    weight: float
    subtopics: dict[str, float]
    trump_leads: tuple[str, ...]
    plain_leads: tuple[str, ...]
    facts: tuple[str, ...]
    titles: tuple[str, ...]


def _event(
    key: str,
    date: str,
    dateline: str,
    label: str,
    venue: str,
    city: str,
    weight: float,
    subtopics: dict[str, float],
    trump_leads: tuple[str, ...],
    plain_leads: tuple[str, ...],
    facts: tuple[str, ...],
    titles: tuple[str, ...],
) -> Event:
    return Event(
        key, dt.date.fromisoformat(date), dateline, label, venue, city, weight,
        {f"ukraine_{k}": v for k, v in subtopics.items()}, trump_leads, plain_leads, facts, titles,
    )


EVENTS: tuple[Event, ...] = (
    _event(
        "inauguration", "2025-01-20", "WASHINGTON", "the inauguration", "the Capitol",
        "Washington", 1.2, {"summits": 0.3, "ceasefire": 0.3, "aid": 0.2, "sanctions": 0.2},
        (
            "{S} was sworn in as the 47th president on {eday}, returning to the White House "
            "four years after he left it.",
            "Hours after taking the oath of office, {S} signed a stack of executive orders in "
            "front of supporters in Washington.",
        ),
        (
            "Officials in Kyiv and across Europe spent the week trying to read the new "
            "administration's intentions toward the war.",
            "The change of government in Washington has put the war in Ukraine back at the top "
            "of the diplomatic agenda.",
        ),
        (
            "The war, now nearly three years old, has killed or wounded hundreds of thousands "
            "of soldiers on both sides.",
            "Russia controls roughly a fifth of Ukraine's territory, including Crimea.",
            "European diplomats said they had been preparing for months for a shift in {US} "
            "policy.",
        ),
        (
            "New president, old war: what Washington's shift means for Kyiv",
            "Trump returns to power promising a swift end to the fighting in Ukraine",
        ),
    ),
    _event(
        "sanctions-threat", "2025-01-22", "WASHINGTON", "the threat of new sanctions",
        "the White House", "Washington", 0.8, {"sanctions": 0.7, "ceasefire": 0.3},
        (
            "{S} posted a message about Russia on his social media platform on {eday}.",
        ),
        ("Washington warned Moscow this week of higher tariffs and sanctions on Russian goods.",),
        (
            "Russia's exports to the {US} have fallen to a fraction of their prewar level.",
            "Economists said the threat was largely symbolic given how little the two countries "
            "now trade.",
        ),
        ("Trump threatens Russia with tariffs and sanctions", "Sanctions warning lands in Moscow"),
    ),
    _event(
        "putin-call-feb", "2025-02-12", "WASHINGTON", "the phone call", "the Oval Office",
        "Washington", 1.2, {"summits": 0.6, "ceasefire": 0.4},
        (
            "{S} spoke by phone with {putin} for about ninety minutes on {eday}, the first "
            "known call between the two since 2022.",
            "{S} said on {eday} that he had held a long call with {putin} and then briefed "
            "{zelensky}.",
        ),
        (
            "The first direct call between the Kremlin and the White House in nearly three "
            "years took place on {eday}.",
        ),
        (
            "European governments said they learned of the call only after it had ended.",
            "The Kremlin said the two leaders had agreed to keep in touch.",
        ),
        ("Trump and Putin talk for the first time in years", "A phone call that rattled Europe"),
    ),
    _event(
        "munich", "2025-02-14", "MUNICH", "the Munich Security Conference", "the Bayerischer Hof",
        "Munich", 1.0, {"guarantees": 0.5, "summits": 0.5},
        (
            "{S} followed the Munich Security Conference from Washington, where he met advisers "
            "on {eday}.",
        ),
        (
            "{vance} used a speech at the Munich Security Conference on {eday} to scold European "
            "governments.",
            "European officials at the Munich Security Conference struggled to hide their alarm.",
        ),
        (
            "The annual conference draws hundreds of ministers, generals and lawmakers.",
            "Several European delegations held unscheduled meetings late into the night.",
        ),
        ("Munich conference exposes transatlantic rift", "Europe's wake-up call in Munich"),
    ),
    _event(
        "riyadh", "2025-02-18", "RIYADH, Saudi Arabia", "the Riyadh talks", "Diriyah Palace",
        "Riyadh", 1.2, {"summits": 0.7, "ceasefire": 0.3},
        (
            "{S} was asked on {eday} about the talks in Riyadh between {US} and Russian "
            "officials.",
        ),
        (
            "{rubio} and {lavrov} met in Riyadh on {eday} for more than four hours, without "
            "Ukrainian officials in the room.",
            "American and Russian delegations sat down in the Saudi capital on {eday}.",
        ),
        (
            "Ukraine was not invited to the meeting, which was hosted by Saudi Arabia.",
            "The two sides agreed to restore staff at their embassies.",
        ),
        (
            "US and Russia talk in Riyadh, without Ukraine",
            "What the Riyadh meeting did and didn't do",
        ),
    ),
    _event(
        "oval-office", "2025-02-28", "WASHINGTON", "the Oval Office meeting", "the Oval Office",
        "Washington", 2.6, {"summits": 0.6, "aid": 0.4},
        (
            "{S} and {zelensky} clashed in front of television cameras in the Oval Office on "
            "{eday}, a meeting that ended with the Ukrainian delegation asked to leave.",
            "A meeting between {S} and {zelensky} at the White House broke down on {eday} "
            "after a heated exchange that also drew in {vance}.",
        ),
        (
            "{zelensky} left the White House early on {eday} after an angry exchange in the "
            "Oval Office.",
            "A planned signing of a minerals agreement was called off on {eday} after a shouting "
            "match in the Oval Office.",
        ),
        (
            "A lunch for the two delegations was left uneaten.",
            "The exchange lasted about ten minutes and was broadcast live.",
            "A joint news conference scheduled for early afternoon was cancelled.",
        ),
        (
            "Oval Office blowup leaves Ukraine talks in tatters",
            "Trump and Zelensky clash in front of the cameras",
            "Ten minutes that shook the alliance",
        ),
    ),
    _event(
        "london-summit", "2025-03-02", "LONDON", "the London summit", "Lancaster House",
        "London", 1.2, {"guarantees": 0.7, "aid": 0.3},
        (
            "{S} was not in London on {eday}, but the leaders who gathered there spent much of "
            "the day discussing him.",
        ),
        (
            "European leaders met in London on {eday} and agreed to work on a plan to end the "
            "war that they would present to Washington.",
            "{starmer} hosted more than a dozen leaders at Lancaster House on {eday}.",
        ),
        (
            "Britain and France offered to lead a \"coalition of the willing.\"",
            "{zelensky} was greeted warmly in London two days after leaving Washington.",
        ),
        ("Europe rallies around Kyiv in London", "A coalition of the willing takes shape"),
    ),
    _event(
        "aid-pause", "2025-03-04", "WASHINGTON", "the pause in military aid", "the Pentagon",
        "Washington", 1.3, {"aid": 0.8, "battlefield": 0.2},
        (
            "{S} met national security advisers on {eday} as word spread that {US} military aid "
            "to Ukraine had been paused.",
        ),
        (
            "Shipments of American weapons to Ukraine were halted on {eday}, officials said.",
            "Washington also suspended some intelligence sharing with Kyiv, officials confirmed "
            "on {eday}.",
        ),
        (
            "The pause affected shipments already on their way through Poland.",
            "Ukrainian commanders warned that air {defense} stocks would run low within weeks.",
        ),
        ("US pauses military aid to Ukraine", "Aid freeze leaves Kyiv scrambling"),
    ),
    _event(
        "jeddah", "2025-03-11", "JEDDAH, Saudi Arabia", "the Jeddah talks", "a hotel in Jeddah",
        "Jeddah", 1.8, {"ceasefire": 0.8, "aid": 0.2},
        (
            "{S} was briefed on {eday} on the Jeddah talks, where Ukraine backed a {US} proposal "
            "for a 30-day ceasefire.",
            "{S} spoke to reporters on {eday} after Ukraine accepted the ceasefire proposal "
            "agreed in Jeddah.",
        ),
        (
            "Ukraine said on {eday} that it was ready to accept a 30-day ceasefire after talks "
            "with American officials in Jeddah.",
            "{US} and Ukrainian officials emerged from eight hours of talks in Jeddah on {eday} "
            "with a joint statement.",
        ),
        (
            "Washington said it would immediately resume military aid and intelligence sharing.",
            "The proposal would apply to the entire front line, as well as to air and sea.",
            "The Kremlin said it would study the proposal.",
        ),
        (
            "Ukraine backs 30-day ceasefire after Jeddah talks",
            "Ball in Moscow's court after Jeddah, Washington says",
        ),
    ),
    _event(
        "energy-truce", "2025-03-18", "WASHINGTON", "the energy truce", "the Oval Office",
        "Washington", 1.0, {"ceasefire": 0.7, "battlefield": 0.3},
        (
            "{S} spoke with {putin} for more than two hours on {eday}, and the Kremlin agreed to "
            "halt strikes on energy facilities for 30 days.",
        ),
        (
            "Russia agreed on {eday} to a 30-day pause in strikes on Ukrainian energy facilities.",
        ),
        (
            "Within hours, Ukraine reported new drone attacks on its power grid.",
            "The partial truce fell well short of the full ceasefire Kyiv had accepted.",
        ),
        ("Partial truce on energy strikes follows long call", "A narrow pause, not a ceasefire"),
    ),
    _event(
        "paris-april", "2025-04-17", "PARIS", "the Paris talks", "the Elysee Palace", "Paris",
        0.9, {"summits": 0.5, "ceasefire": 0.5},
        (
            "{S} was at the White House on {eday} as {US} and European officials met in Paris.",
        ),
        (
            "{rubio} and {witkoff} met European and Ukrainian officials in Paris on {eday}.",
        ),
        (
            "The talks in Paris were the first time European officials had joined the {US} "
            "effort directly.",
            "Officials circulated a framework that would freeze the front line.",
        ),
        ("Paris talks widen the circle", "Washington's deadline looms over Paris meeting"),
    ),
    _event(
        "vatican", "2025-04-26", "VATICAN CITY", "the meeting at St. Peter's Basilica",
        "St. Peter's Basilica", "Rome", 1.0, {"summits": 0.8, "ceasefire": 0.2},
        (
            "{S} and {zelensky} sat face to face inside St. Peter's Basilica on {eday}, before "
            "the funeral of Pope Francis.",
        ),
        (
            "A photograph of two chairs inside St. Peter's Basilica became the image of the "
            "day on {eday}.",
        ),
        (
            "The meeting lasted about fifteen minutes.",
            "Dozens of heads of state attended the funeral in Rome.",
        ),
        ("Two chairs in St. Peter's: a meeting at the funeral", "A quiet talk before the funeral"),
    ),
    _event(
        "minerals", "2025-04-30", "WASHINGTON", "the minerals agreement", "the Treasury",
        "Washington", 1.0, {"aid": 0.5, "sanctions": 0.5},
        (
            "{S} was at the White House on {eday} when the {US} and Ukraine signed an agreement "
            "on Ukraine's mineral revenues.",
        ),
        (
            "Washington and Kyiv signed an agreement on {eday} creating a joint investment fund "
            "for Ukraine's reconstruction.",
        ),
        (
            "The fund will invest in mining, oil and gas projects in Ukraine.",
            "Ukraine's parliament still has to ratify the agreement.",
        ),
        ("US and Ukraine sign minerals deal", "What the minerals agreement means for Kyiv"),
    ),
    _event(
        "istanbul-1", "2025-05-16", "ISTANBUL", "the Istanbul talks", "Dolmabahce Palace",
        "Istanbul", 1.5, {"ceasefire": 0.6, "summits": 0.4},
        (
            "{S} was in the Middle East on {eday} as Russian and Ukrainian delegations gathered "
            "in Istanbul.",
        ),
        (
            "Russian and Ukrainian delegations held their first direct talks in three years in "
            "Istanbul on {eday}.",
            "The talks in Istanbul on {eday} lasted less than two hours.",
        ),
        (
            "The two sides agreed to exchange 1,000 prisoners of war each.",
            "{erdogan} met both delegations before the talks began.",
        ),
        ("Russia and Ukraine talk face to face in Istanbul", "Prisoner swap is the only fruit"),
    ),
    _event(
        "putin-call-may", "2025-05-19", "WASHINGTON", "the two-hour call", "the Oval Office",
        "Washington", 1.0, {"ceasefire": 0.6, "sanctions": 0.4},
        (
            "{S} spoke with {putin} for two hours on {eday} and then called {zelensky} and "
            "several European leaders.",
        ),
        ("The Kremlin described {eday}'s call between the two presidents as \"frank.\"",),
        (
            "European leaders had urged Washington to back new sanctions before the call.",
            "Moscow said it would draft a memorandum on a possible settlement.",
        ),
        ("Two-hour call yields no ceasefire", "After the call, a memorandum and more waiting"),
    ),
    _event(
        "istanbul-2", "2025-06-02", "ISTANBUL", "the second round in Istanbul", "Ciragan Palace",
        "Istanbul", 0.8, {"ceasefire": 0.8, "battlefield": 0.2},
        (
            "{S} was briefed on the second round of talks in Istanbul on {eday}, officials said.",
        ),
        (
            "The second round of direct talks in Istanbul on {eday} ended after about an hour.",
        ),
        (
            "The sides agreed to return the bodies of thousands of fallen soldiers.",
            "Russia handed over a memorandum demanding Ukraine withdraw from four regions.",
        ),
        ("Second Istanbul round ends in an hour", "Memorandums exchanged, positions unchanged"),
    ),
    _event(
        "nato-summit", "2025-06-25", "THE HAGUE", "the NATO summit", "the World Forum",
        "The Hague", 1.6, {"guarantees": 0.5, "aid": 0.5},
        (
            "{S} arrived at the NATO summit in The Hague on {eday} as allies prepared to commit "
            "to spending 5 percent of output on {defense}.",
            "{S} met {zelensky} on the sidelines of the NATO summit on {eday}.",
        ),
        (
            "NATO leaders agreed on {eday} to raise {defense} spending to 5 percent of economic "
            "output by 2035.",
            "The NATO summit in The Hague was shortened to a single working session on {eday}.",
        ),
        (
            "Spain secured an exemption from the new spending target.",
            "The summit declaration made only passing reference to Ukraine.",
            "{rutte} had drafted a short communique to avoid open disputes.",
        ),
        ("NATO agrees 5 percent target", "Short summit, big number: NATO in The Hague"),
    ),
    _event(
        "weapons-july", "2025-07-14", "WASHINGTON", "the weapons announcement", "the Oval Office",
        "Washington", 1.6, {"aid": 0.6, "sanctions": 0.4},
        (
            "{S} made an announcement on Ukraine on {eday}, sitting beside {rutte} in the Oval "
            "Office.",
            "{S} met {rutte} in the Oval Office on {eday} and took questions about Russia for "
            "nearly an hour.",
        ),
        (
            "Under an arrangement announced on {eday}, European allies will buy {US} weapons for "
            "Ukraine.",
        ),
        (
            "Germany said it was ready to pay for two Patriot systems.",
            "The 50-day deadline falls in early September.",
        ),
        (
            "Weapons for Ukraine, paid by Europe",
            "Fifty days: Washington sets a deadline for Moscow",
        ),
    ),
    _event(
        "deadline-july", "2025-07-29", "TURNBERRY, Scotland", "the new deadline",
        "the Turnberry golf resort", "Turnberry", 1.0, {"sanctions": 0.7, "battlefield": 0.3},
        (
            "{S} spoke about Russia on {eday} during a visit to his golf resort in Scotland.",
        ),
        ("The deadline for Moscow was shortened to the second week of August.",),
        (
            "Russian strikes on Kyiv intensified in the days before the announcement.",
            "Markets barely reacted to the new deadline.",
        ),
        ("Trump shortens Russia deadline", "Ten days, twelve days: a deadline moves"),
    ),
    _event(
        "envoy-moscow", "2025-08-06", "MOSCOW", "the envoy's visit to Moscow", "the Kremlin",
        "Moscow", 1.0, {"summits": 0.5, "sanctions": 0.5},
        (
            "{S} posted about the Moscow meeting between {witkoff} and {putin} late on {eday}.",
        ),
        ("{witkoff} met {putin} in the Kremlin for about three hours on {eday}.",),
        (
            "Washington also imposed an extra 25 percent tariff on Indian goods over New Delhi's "
            "purchases of Russian oil.",
            "The Kremlin called the conversation \"useful and constructive.\"",
        ),
        ("Envoy's Kremlin visit sets up a summit", "From Moscow, talk of a summit"),
    ),
    _event(
        "alaska", "2025-08-15", "ANCHORAGE, Alaska", "the Alaska summit",
        "Joint Base Elmendorf-Richardson", "Anchorage", 3.6, {"summits": 0.8, "ceasefire": 0.2},
        (
            "{S} greeted {putin} on a red carpet at Joint Base Elmendorf-Richardson in "
            "Anchorage on {eday}, their first meeting in six years.",
            "{S} and {putin} met for nearly three hours in Anchorage on {eday} but emerged "
            "without an agreement.",
        ),
        (
            "The leaders of the {US} and Russia met at a military base in Anchorage on {eday}.",
            "The summit in Alaska on {eday} ended after less than three hours, with no "
            "questions taken from reporters.",
        ),
        (
            "A planned working lunch was cancelled.",
            "The two leaders spoke for about twelve minutes at a joint appearance.",
            "It was the first visit by a Russian leader to the {US} in a decade.",
        ),
        (
            "No deal in Anchorage as summit ends early",
            "Red carpet in Alaska, but no ceasefire",
            "What happened at the Alaska summit",
        ),
    ),
    _event(
        "white-house-aug", "2025-08-18", "WASHINGTON", "the White House meeting",
        "the East Room", "Washington", 2.6, {"guarantees": 0.6, "summits": 0.4},
        (
            "{S} hosted {zelensky} and seven European leaders at the White House on {eday}.",
            "{S} welcomed {zelensky} back to the Oval Office on {eday}, this time with "
            "{macron}, {starmer} and {merz} waiting in the next room.",
        ),
        (
            "European leaders flew to Washington on {eday} to stand beside {zelensky}.",
            "The meeting on {eday} brought {zelensky}, {macron}, {merz} and {meloni} to the "
            "White House together.",
        ),
        (
            "The leaders sat around a long table in the East Room for the afternoon session.",
            "Security guarantees for Ukraine dominated the discussion.",
            "The European leaders had coordinated their positions on a video call the night "
            "before.",
        ),
        (
            "Europe's leaders stand with Zelensky at the White House",
            "Security guarantees on the table in Washington",
        ),
    ),
    _event(
        "coalition-paris", "2025-09-04", "PARIS", "the coalition of the willing meeting",
        "the Elysee Palace", "Paris", 1.2, {"guarantees": 0.9, "aid": 0.1},
        (
            "{S} spoke by video link on {eday} with leaders gathered in Paris for the coalition "
            "of the willing.",
        ),
        (
            "Twenty-six countries pledged in Paris on {eday} to contribute to a force to support "
            "Ukraine after a ceasefire.",
        ),
        (
            "The force would operate on land, at sea and in the air.",
            "Details of the contributions were not made public.",
        ),
        ("26 countries sign up to post-war force", "Coalition of the willing makes its pledges"),
    ),
    _event(
        "poland-drones", "2025-09-10", "WARSAW", "the drone incursion into Poland",
        "the Polish parliament", "Warsaw", 1.0, {"battlefield": 0.6, "guarantees": 0.4},
        (
            "{S} responded on {eday} to the incursion of Russian drones into Polish airspace with "
            "a short message on social media.",
        ),
        (
            "NATO jets shot down several Russian drones over Poland overnight into {eday}.",
        ),
        (
            "Poland invoked Article 4 of NATO's treaty, which calls for consultations.",
            "It was the first time NATO aircraft had engaged Russian targets in allied airspace.",
        ),
        ("Drones over Poland put NATO on alert", "Poland invokes Article 4 after drone incursion"),
    ),
    _event(
        "un-general-assembly", "2025-09-23", "NEW YORK", "the United Nations General Assembly",
        "the United Nations", "New York", 1.3, {"summits": 0.5, "battlefield": 0.2, "aid": 0.3},
        (
            "{S} met {zelensky} on the sidelines of the United Nations General Assembly in New "
            "York on {eday}.",
        ),
        (
            "World leaders gathered at the United Nations in New York on {eday}.",
        ),
        (
            "Dozens of bilateral meetings were packed into the week.",
            "Traffic in Manhattan was gridlocked for much of the day.",
        ),
        ("At the UN, a shift in tone on Ukraine", "New York week brings leaders together"),
    ),
    _event(
        "tomahawk", "2025-10-17", "WASHINGTON", "the Tomahawk debate", "the Cabinet Room",
        "Washington", 1.8, {"aid": 0.7, "summits": 0.3},
        (
            "{S} met {zelensky} over lunch at the White House on {eday}, a day after a long call "
            "with {putin}.",
            "{S} hosted {zelensky} in the Cabinet Room on {eday} as Kyiv pressed for Tomahawk "
            "cruise missiles.",
        ),
        (
            "{zelensky} came to Washington on {eday} hoping to leave with long-range Tomahawk "
            "missiles.",
        ),
        (
            "The Tomahawk has a range of about 1,600 miles.",
            "Kyiv has said the missiles would let it strike military targets deep inside Russia.",
        ),
        ("No Tomahawks for now, Kyiv told", "The Tomahawk question hangs over White House lunch"),
    ),
    _event(
        "budapest-dropped", "2025-10-22", "WASHINGTON", "the dropped Budapest summit",
        "the Oval Office", "Washington", 2.0, {"summits": 0.5, "sanctions": 0.5},
        (
            "{S} spoke to reporters in the Oval Office on {eday}, as plans for a summit with "
            "{putin} in Budapest were shelved.",
            "{S} was asked about Russia's oil companies on {eday}, as the Treasury prepared new "
            "sanctions.",
        ),
        (
            "Plans for a summit in Budapest were shelved on {eday}.",
            "Washington imposed sanctions on Rosneft and Lukoil on {eday}.",
        ),
        (
            "{orban} had offered to host the meeting.",
            "Oil prices jumped by about 5 percent after the sanctions were announced.",
            "It was the first major round of {US} sanctions on Russia this year.",
        ),
        ("Budapest summit is off; sanctions are on", "No meeting in Budapest, oil giants hit"),
    ),
    _event(
        "plan-28", "2025-11-20", "WASHINGTON", "the 28-point plan", "the West Wing",
        "Washington", 2.6, {"ceasefire": 0.6, "guarantees": 0.4},
        (
            "{S} was asked about a 28-point plan drafted by {witkoff} and Russian officials as he "
            "left the White House on {eday}.",
            "{S} discussed the 28-point plan with advisers in the Oval Office on {eday}, officials "
            "said.",
        ),
        (
            "A 28-point plan drawn up by American and Russian envoys became public on {eday}.",
            "The draft plan, circulated in Kyiv on {eday}, caught European governments off "
            "guard.",
        ),
        (
            "The draft would cap Ukraine's armed forces at 600,000 troops.",
            "It would also rule out Ukraine's membership of NATO.",
            "{dmitriev} was involved in drafting the text, officials said.",
        ),
        (
            "Inside the 28-point plan",
            "A peace plan drafted in Miami lands in Kyiv",
            "Thanksgiving deadline for Kyiv",
        ),
    ),
    _event(
        "geneva", "2025-11-23", "GENEVA", "the Geneva talks", "the {US} mission in Geneva",
        "Geneva", 1.5, {"ceasefire": 0.6, "guarantees": 0.4},
        (
            "{S} was kept informed by phone on {eday} as {US} and Ukrainian delegations met in "
            "Geneva, officials said.",
        ),
        (
            "{rubio} and Ukrainian negotiators spent {eday} in Geneva revising the draft plan.",
        ),
        (
            "The plan was trimmed to 19 points after the Geneva meeting.",
            "The most sensitive issues were left for the leaders to decide.",
        ),
        ("In Geneva, a plan is rewritten", "From 28 points to 19"),
    ),
    _event(
        "kremlin-dec", "2025-12-02", "MOSCOW", "the Kremlin meeting", "the Senate Palace",
        "Moscow", 1.5, {"summits": 0.7, "ceasefire": 0.3},
        (
            "{S} was briefed on {eday} after his envoys met {putin} in Moscow.",
        ),
        (
            "{witkoff} and {kushner} spent about five hours with {putin} in the Kremlin on {eday}.",
        ),
        (
            "No compromise was found on the question of territory, the Kremlin said.",
            "The meeting ran late into the night.",
        ),
        ("Five hours in the Kremlin, no breakthrough", "Envoys meet Putin on revised plan"),
    ),
    _event(
        "berlin-dec", "2025-12-14", "BERLIN", "the Berlin talks", "the Chancellery", "Berlin",
        1.5, {"guarantees": 0.6, "ceasefire": 0.4},
        (
            "{S} followed the Berlin talks on security guarantees from Washington on {eday}, "
            "aides said.",
        ),
        (
            "{US} and Ukrainian negotiators met in Berlin on {eday}, with European officials "
            "nearby.",
            "{merz} hosted {zelensky} and {US} envoys in Berlin on {eday}.",
        ),
        (
            "The guarantees discussed would be modelled loosely on NATO's Article 5.",
            "European leaders joined the talks for a dinner at the Chancellery.",
        ),
        ("Berlin talks focus on guarantees", "Security guarantees edge forward in Berlin"),
    ),
    _event(
        "eu-summit-dec", "2025-12-18", "BRUSSELS", "the EU summit", "the Europa building",
        "Brussels", 1.0, {"sanctions": 0.6, "aid": 0.4},
        (
            "{S} spoke with several European leaders by phone on {eday} as they gathered in "
            "Brussels.",
        ),
        (
            "European Union leaders agreed in Brussels on {eday} to lend Ukraine 90 billion euros "
            "over two years.",
        ),
        (
            "A plan to use frozen Russian assets was set aside after objections from Belgium.",
            "The loan will be financed by joint borrowing.",
        ),
        ("EU agrees 90 billion euro loan for Ukraine", "Frozen assets stay frozen"),
    ),
)

YEAR_START = dt.date(2025, 1, 1)
YEAR_END = dt.date(2025, 12, 31)


def latest_event(day: dt.date) -> Event:
    """The last event on or before ``day`` (the first one for dates before it)."""
    best = EVENTS[0]
    for event in EVENTS:
        if event.date <= day:
            best = event
    return best
