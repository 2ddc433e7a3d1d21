"""Background news: the topics that are not the Ukraine issue.

Economy and domestic politics also have ``TRUMP_SENTENCES``: Trump on tariffs, the Federal
Reserve, immigration, Congress. They mention Trump *outside* the Ukraine issue, so a passage
splitter that keeps every Trump paragraph will pick them up, and an issue filter should drop
them. The decoys (Trump Tower, Melania Trump, Donald Trump Jr., Trump-era ...) live here too.
"""

from __future__ import annotations

from framing.synthetic._render import Template, templates

SENTENCES: dict[str, tuple[Template, ...]] = {
    "economy": templates(
        (
            "The S&P 500 {moved} {pct} percent on {day}, led by {sector} stocks.",
            "The Federal Reserve left its benchmark interest rate unchanged, saying it wanted "
            "more evidence that inflation was cooling.",
            "Consumer prices rose {pct} percent from a year earlier, according to government "
            "data released on {day}.",
            "Shares of {company} {moved} {pct2} percent after the company reported quarterly "
            "earnings above analysts' forecasts.",
            "Economists at {bank} said they expected growth to slow in the second half of the "
            "year.",
            "The dollar weakened against the euro and the yen in afternoon trading.",
            "Yields on ten-year Treasury notes climbed to their highest level in {n_weeks} weeks.",
            "Retailers have warned that higher import costs will eventually be passed on to "
            "shoppers.",
            "Mortgage rates edged lower for a third straight week, offering some relief to "
            "home buyers.",
            "Analysts said trading volumes were thin ahead of the holiday weekend.",
            "The unemployment rate held at {unemployment} percent, the Labor Department said.",
            "Chief executives said in a survey that they planned to hold off on new hiring.",
            "Gold prices hit a record as investors looked for safety.",
            "[[Trump-era]] tariffs on steel and aluminum remain a point of friction with trading "
            "partners.",
            "Small businesses said higher borrowing costs were squeezing their margins.",
            'A central bank official said policy would remain "data dependent."',
            "Factory orders fell for a second month, dragged down by weaker demand for "
            "machinery.",
            "Freight companies reported a drop in container traffic at West Coast ports.",
            "Investors are watching for signs that higher tariffs are feeding into prices.",
            "The central bank's next meeting is scheduled for the middle of next month.",
            "Oil prices were little changed, with Brent crude trading near {oil_price} dollars a "
            "barrel.",
            "{company} said it would cut prices on hundreds of products to win back shoppers.",
            "Wage growth slowed slightly but continued to outpace inflation.",
            "Economists at {bank} raised their forecast for the unemployment rate.",
            "Consumer confidence fell to its lowest level since the spring, a survey showed.",
            "Home sales rose in {region} as buyers took advantage of lower rates.",
            "Bank shares led the gains after regulators eased capital rules.",
            "The trade deficit narrowed as imports fell ahead of new tariffs.",
            "{company} warned that profits would be lower than expected this year.",
            "Economists said the figures pointed to a cooling, but not a collapse, in hiring.",
            "Credit card balances hit a record, according to the latest data.",
            "The price of eggs, a closely watched item, fell for a second month.",
        )
    ),
    "domestic_politics": templates(
        (
            "Democrats in the House said they would oppose the measure.",
            "Sen. {senator} of {state} said the bill would not pass the Senate in its current "
            "form.",
            "A poll by {pollster} found that {pct_poll} percent of voters approved of {trump's} "
            "handling of the economy.",
            "[[Donald Trump Jr.]] campaigned for the Republican candidate in {state} on {day}.",
            "Governors from both parties met in Washington, D.C., on {day} to discuss disaster "
            "funding.",
            "The [[Trump administration]] said it would appeal the ruling.",
            "Protesters gathered outside [[Trump Tower]] in Manhattan on {day}.",
            "The Supreme Court agreed to hear a challenge to the tariffs.",
            "The House passed the bill by a vote of {vote_a} to {vote_b}.",
            "A federal judge in {state} temporarily blocked the policy on {day}.",
            "Lawmakers left town for the recess without a deal on spending.",
            "The special election in {state} is seen as an early test for both parties.",
            "[[Donald Trump Jr.]] said on his podcast that the party needed new faces.",
            "Several [[Trump-era]] rules on federal hiring were revived by executive order.",
            "Both parties are raising record sums ahead of next year's midterm elections.",
            "The measure would extend tax cuts that are due to expire at the end of next year.",
            "Republican leaders said they had the votes to pass the bill this week.",
            "The governor of {state} said the cuts would hit rural hospitals hardest.",
            "Turnout in the primary was higher than expected, election officials said.",
            "The Senate confirmed the nominee by a vote of {vote_c} to {vote_d}.",
            "Town hall meetings in {state} turned heated as voters questioned their "
            "representatives.",
            "Campaign filings showed the challenger had outraised the incumbent.",
            "Civil rights groups said they would challenge the policy in court.",
            "The bill now goes to the Senate, where its prospects are uncertain.",
            "Election officials in {state} said they were ready for the vote.",
            "Sen. {senator} said she would introduce an amendment next week.",
            "The administration's budget request would cut funding for several agencies.",
            "A bipartisan group of senators released its own plan on {day}.",
            "Party leaders met behind closed doors for more than three hours.",
        )
    ),
    "technology": templates(
        (
            "{tech_company} unveiled a new artificial intelligence model that it said could "
            "write and test software.",
            "The company said it would invest {n_bn3} billion dollars in data centers over the "
            "next {n_years} years.",
            "Regulators in Brussels opened an investigation into the company's app store "
            "practices.",
            "Chip stocks rallied after {tech_company} raised its revenue forecast.",
            "Security researchers warned of a flaw affecting millions of home routers.",
            "The phone goes on sale on {day} at 9 a.m. Pacific time.",
            "Employees were told in a memo that the company would cut about {pct_small} percent "
            "of its workforce.",
            "The startup, founded three years ago, is now valued at about {n_bn3} billion "
            "dollars.",
            "Power companies say demand from data centers is straining the grid.",
            "Critics said the new feature raised privacy concerns.",
            "The outage lasted several hours and affected users across {region}.",
            "{tech_company} said the satellite service would be available in {n_countries} "
            "countries by the end of the year.",
            "The company's shares rose {pct} percent in after-hours trading.",
            "Analysts said the new chips would be in short supply well into next year.",
            "Lawmakers in Washington, D.C., questioned executives about children's safety online.",
            "The update will reach most users over the next few weeks.",
            "Engineers said the model had been trained on far more data than its predecessor.",
            "Rivals are racing to build their own data centers in {region}.",
            "The company said no customer data had been exposed in the breach.",
            "{tech_company} said revenue from its cloud business rose by a third.",
            "The company did not say how many people use the service.",
            "Shares of rival chipmakers also climbed.",
            "The European Commission said it would decide on the case by the summer.",
            "{tech_company} said the new model used less energy than earlier versions.",
            "Developers said the tools were already changing how software is written.",
            "The deal still requires approval from regulators in several countries.",
        )
    ),
    "health": templates(
        (
            "Health officials reported {n_cases} new cases of measles, part of the largest "
            "outbreak in years.",
            "The study, published in {journal}, followed more than {n_people} adults for a "
            "decade.",
            "Researchers found that people who walked at least {n_steps} steps a day had a lower "
            "risk of heart disease.",
            "Dr. {doctor}, an epidemiologist at {university}, said the findings were encouraging "
            "but preliminary.",
            "Hospitals in {region} said flu admissions were rising earlier than usual.",
            "Regulators approved a new treatment for early Alzheimer's disease.",
            "Vaccination rates among kindergartners have fallen for another year.",
            "The hospital said it would open a new wing for children's care in the spring.",
            "Doctors urged people over 65 to get their booster shots before the winter.",
            "The survey found that nearly a third of adults slept less than six hours a night.",
            "Nurses at three hospitals in {region} voted to authorize a strike.",
            "The drug, already used for diabetes, is now approved for weight loss.",
            "The state health department said most of the cases were in children who had not "
            "been vaccinated.",
            "Participants who ate more fiber had lower blood pressure, the researchers found.",
            "The agency said the drug would be available at pharmacies by the end of the month.",
            "Dr. {doctor} said the results needed to be confirmed in a larger trial.",
            "Emergency rooms in {region} reported long waits over the weekend.",
            "The clinic offers free screenings on the first Saturday of every month.",
            "Public health officials urged people with symptoms to stay at home.",
            "The hospital group said staffing shortages had eased since last winter.",
            "Researchers said the effect was strongest among older adults.",
            "The trial enrolled more than {n_people} patients at sites in {n_countries} countries.",
            "Pharmacies reported shortages of some children's medicines.",
            "The study did not find a link between the supplement and memory.",
            "Health insurers said premiums would rise again next year.",
            "The county opened two new vaccination clinics on {day}.",
        )
    ),
    "climate": templates(
        (
            "Temperatures reached {temp} degrees in {weather_city} on {day}, the highest reading "
            "for the date.",
            "The storm dropped more than {n_inches} inches of rain in parts of {region}.",
            "Scientists said the year was on track to be among the three warmest on record.",
            "Wildfire smoke drifted across {region}, prompting air quality warnings.",
            "The weather service issued flood warnings for {n_counties} counties.",
            "Delegates at the climate conference in Belém, Brazil, struggled to agree on a "
            "phase-out of fossil fuels.",
            "Farmers said the drought had cut yields of corn and soybeans.",
            "The city opened cooling centers as the heat wave entered its {nth} day.",
            "Insurers have raised premiums sharply in areas at risk of flooding.",
            "A late frost damaged fruit orchards across the region.",
            "Sea ice in the Arctic shrank to one of its smallest extents since records began.",
            "The utility said about {n_homes} homes were still without power on {day}.",
            "Forecasters expect the hot, dry weather to last into next week.",
            "Crews battled the fire through the night as winds picked up.",
            "The river crested at more than {n_feet} feet above flood stage.",
            "Officials in {weather_city} opened shelters for people forced from their homes.",
            "Scientists said warmer oceans were making storms wetter and stronger.",
            "The reservoir is at its lowest level in more than a decade.",
            "Ski resorts delayed their openings because of a lack of snow.",
            "The city plans to plant thousands of trees to cool its hottest neighborhoods.",
            "Power lines were brought down across the county by high winds.",
            "The heat index topped {temp} degrees in parts of {region}.",
            "Meteorologists said the storm was moving slowly, increasing the risk of flooding.",
            "The state declared an emergency in {n_counties} counties.",
            "Scientists have linked the longer fire seasons to rising temperatures.",
            "Residents were told to boil their water until further notice.",
        )
    ),
    "sports": templates(
        (
            "{team_a} beat {team_b} {score} on {day}, extending their unbeaten run to {n_games} "
            "games.",
            "The striker scored twice in the second half to seal the win.",
            'The coach, {coach}, said the team had "found its rhythm."',
            "The final will be played in {sports_city} in front of about {n_crowd} fans.",
            "Injuries have hampered {team_b} all season.",
            "The league said it would review the incident that led to the red card.",
            "{team_a} sit {n_points} points clear at the top of the table.",
            "{coach} made three changes to the side that lost last week.",
            "Tickets for the match sold out within minutes.",
            "The goalkeeper made a string of saves to keep the visitors in the game.",
            "Fans waited in the rain for hours to greet the team at the airport.",
            "The club confirmed the signing of a midfielder on a four-year contract.",
            "{team_b} had the better of the opening half but could not find a way through.",
            "The captain, back from a knee injury, played the full ninety minutes.",
            "{team_b} responded with a goal of their own just before halftime.",
            "The substitute came on in the 70th minute and changed the game.",
            "It was {team_a}'s first win away from home since the start of the season.",
            "The referee waved away two penalty appeals in the first half.",
            "{coach} praised the fans, who traveled in large numbers.",
            "The two sides meet again in the cup next month.",
            "The defender was carried off on a stretcher after a heavy challenge.",
            "Attendance at the ground has risen every season for five years.",
            "The win lifted {team_a} above their rivals for the first time this season.",
            "{team_b} have now gone five games without a win.",
            "The manager said he had no plans to change his approach.",
            "The club's owners said a new stadium would open in three years.",
            "The forward's goal was his 12th of the season.",
            "Both teams will be without key players for next week's fixtures.",
        )
    ),
    "culture": templates(
        (
            "The exhibition, which opens on {day} at the {museum}, brings together more than "
            "{n_works} works.",
            "First lady [[Melania Trump]] hosted a reception for the award winners.",
            "The film, directed by {director}, premiered at the {festival} to a standing ovation.",
            "Critics praised the novel's spare prose and its portrait of a family in a small "
            "river town.",
            "Tickets for the tour sold out within {n_min} minutes.",
            "The orchestra's new season includes works by Mahler and Sibelius and a new "
            "commission.",
            "A documentary about [[Melania Trump]] is due to be released next year.",
            "The building, a few blocks from [[Trump Tower]], will house galleries and a "
            "library.",
            "The festival drew more than {n_crowd} visitors over the weekend.",
            "The museum said attendance had finally returned to prepandemic levels.",
            "The band's new album debuted at the top of the charts.",
            "The theater company announced a revival of a classic musical for the spring.",
            "The show runs until the end of the month.",
            "The author will read from the book at the city library on {day}.",
            "Critics called the production bold, funny and a little too long.",
            "The paintings had not been shown together in more than half a century.",
            "The festival's director, {director}, said this year's lineup was its most ambitious.",
            "Admission is free on the first Sunday of each month.",
            "The restored cinema reopened with a screening of a silent classic.",
            "Several of the works were lent by private collectors in Europe.",
            "The novel has been translated into more than thirty languages.",
            "The museum plans to tour the exhibition to three other cities next year.",
            "The concert was broadcast live on public radio.",
            "Ticket prices have risen sharply since the pandemic, a survey found.",
            "The play's run was extended twice because of demand.",
            "A new wing devoted to photography opens in the autumn.",
        )
    ),
}

# Trump outside the Ukraine issue: {S} is Trump
TRUMP_SENTENCES: dict[str, tuple[Template, ...]] = {
    "economy": templates(
        (
            "{S} said on {day} that he would impose a {n_tariff} percent tariff on imported "
            "{goods}.",
            "{S} renewed his criticism of the Federal Reserve, calling for lower interest rates.",
            "{S} said the tariffs would bring factories back to America.",
            "{S} announced a pause on some of the new levies to allow time for negotiations.",
            "{S} said trade deals with several Asian countries were close.",
            "{S} told business leaders at the White House that the economy was booming.",
            "{S} said companies that build factories in America would be spared the levies.",
            "{S} said foreign countries, not American consumers, would pay the tariffs.",
            "{S} called the latest jobs figures \"fantastic\" in a post on social media.",
            "{S} said he wanted the central bank to cut rates \"very substantially.\"",
            "{S} threatened higher duties on countries that did not lower their own.",
            "{S} told reporters that prices were coming down \"very rapidly.\"",
            "{S} met chief executives of the largest carmakers at the White House on {day}.",
            "{S} said the deal with {goods} exporters would be signed within weeks.",
        )
    ),
    "domestic_politics": templates(
        (
            "{S} signed an executive order on {day} directing agencies to {eo_action}.",
            "{S} said the administration would expand deportation flights, calling immigration "
            "enforcement his top priority.",
            '{S} defended his tariffs at a rally in {rally_city}, telling supporters they were '
            '"working."',
            "{S} urged Republicans in Congress to pass the spending bill without changes.",
            "{S} lashed out at judges who have blocked parts of his agenda.",
            "{S} said he would send National Guard troops to more American cities.",
            "{S} endorsed the Republican candidate for governor of {state}.",
            "{S} hosted Republican leaders at the White House for a dinner on {day}.",
            "{S} said he would veto any bill that raised taxes.",
            "{S} attacked the Democratic governor of {state} in a late-night post.",
            "{S} said the border was \"closed\" and credited his new policies.",
            "{S} told a crowd in {rally_city} that the midterm elections would be \"very big.\"",
            "{S} said he had asked the Justice Department to look into the matter.",
            "{S} nominated a longtime ally to lead the agency.",
            "{S} said federal workers who refused to return to the office would be let go.",
            "{S} spent the weekend at his golf club, where he met several senators.",
        )
    ),
}

TITLES: dict[str, tuple[str, ...]] = {
    "economy": (
        "Stocks {moved} as investors weigh rate outlook",
        "Fed holds rates steady, signals patience",
        "Inflation cools, but prices still bite",
        "Tariffs ripple through supply chains",
        "Jobs report shows hiring slowdown",
    ),
    "domestic_politics": (
        "Spending fight heads for showdown in Congress",
        "Trump signs order on federal workforce",
        "Judge blocks immigration policy",
        "Tariff fight reaches the Supreme Court",
        "Midterm money race heats up",
    ),
    "technology": (
        "New AI model promises to write code",
        "Data center boom strains power grid",
        "Regulators open app store inquiry",
        "Chipmaker raises forecast on AI demand",
    ),
    "health": (
        "Measles cases climb as vaccination falls",
        "Walking more linked to lower heart risk",
        "Flu season arrives early",
        "Hospitals brace for winter",
    ),
    "climate": (
        "Heat records fall across the region",
        "Storm brings flooding and power cuts",
        "Climate talks end without fossil fuel deal",
        "Drought hits harvest",
    ),
    "sports": (
        "Late goal keeps title race alive",
        "Unbeaten run reaches new high",
        "Leaders pull clear at the top",
        "Final set for packed stadium",
    ),
    "culture": (
        "A blockbuster exhibition opens",
        "Festival premiere wins standing ovation",
        "Orchestra unveils new season",
        "Novel of a river town wins praise",
    ),
}

FILLERS_BACKGROUND: dict[str, tuple[str, ...]] = {
    "moved": ("rose", "fell", "climbed", "slipped", "gained", "dropped"),
    "sector": ("technology", "energy", "bank", "health care", "industrial", "consumer"),
    "company": (
        "Calloway Foods", "Brightwater Energy", "Norcross Logistics", "Pinecrest Retail",
        "Vantage Aerospace", "Ostrander Mills",
    ),
    "bank": ("Halden & Co.", "Mercer Capital", "the Fairbrook Institute", "Stanmore Bank"),
    "goods": ("steel", "cars", "pharmaceuticals", "furniture", "lumber", "semiconductors"),
    "senator": ("Ellen Marsh", "Robert Cole", "Diane Whitaker", "James Orr", "Maria Santos"),
    "state": ("Ohio", "Arizona", "Georgia", "Michigan", "Pennsylvania", "Wisconsin", "Nevada"),
    "rally_city": ("Pittsburgh", "Phoenix", "Des Moines", "Milwaukee", "Charlotte"),
    "pollster": ("the Carrow Research Center", "Northway Polling", "the Lakemont Institute"),
    "eo_action": (
        "review federal grants", "cut regulations on home building", "expand oil drilling",
        "overhaul the civil service", "tighten rules on asylum",
    ),
    "tech_company": ("Corvid Labs", "Halcyon Systems", "Aster Semiconductor", "Brightline AI"),
    "region": ("the Midwest", "the Northeast", "the Pacific Northwest", "the Southeast",
               "the Great Lakes region", "northern Europe"),
    "journal": ("the Lancet", "JAMA", "the New England Journal of Medicine", "BMJ"),
    "doctor": ("Helen Park", "Samuel Adeyemi", "Laura Kessler", "Ravi Menon"),
    "university": ("Northfield State University", "the University of Halden", "Carrow College"),
    "weather_city": ("Phoenix", "Sacramento", "Dallas", "Denver", "Minneapolis", "Madrid"),
    "team_a": ("Harbor City FC", "Northfield United", "Riverside Athletic", "Capital Rovers"),
    "team_b": ("Lakeside Town", "Eastport Rovers", "Mesa City", "Summit Wanderers"),
    "score": ("2-1", "3-0", "4-2", "1-0", "3-1", "2-0"),
    "coach": ("Maria Lindqvist", "Tom Becker", "Andre Fontaine", "Paula Ruiz"),
    "n_points": ("two", "three", "four", "five", "seven"),
    "vote_c": ("51", "52", "53", "54"),
    "vote_d": ("45", "46", "47", "48"),
    "n_feet": ("three", "four", "six", "eight"),
    "sports_city": ("Atlanta", "Dallas", "Toronto", "Seattle", "Mexico City"),
    "museum": ("City Museum of Art", "Harborview Gallery", "National Portrait Hall"),
    "director": ("Ana Morales", "Jonas Berg", "Kenji Ito", "Claire Dumont"),
    "festival": ("Lakeshore Film Festival", "Venice Film Festival", "Toronto International Film "
                 "Festival"),
    "nth": ("third", "fourth", "fifth", "sixth"),
}
