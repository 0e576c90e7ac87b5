"""The phrase bank: ordinary English sentences with slots, from which episodes are drawn.

Why ordinary English: the benchmark measures *timing*, so the recognizer (Whisper tiny.en) should hear most
words right; rare words, odd names and spellings it cannot guess only measure recognition. In trial runs
(18 minutes, all four voices) tiny.en got about 95% of the spoken words; what it missed was mostly the fillers
(which Whisper leaves out by design), "a"/"the", compounds it writes as one word ("honeybees", "seabirds"),
and names: the names below were chosen by test (see FIRST_NAMES).

Syntax, read by :mod:`synth.grammar`:

- ``<slot>`` is filled from the topic (``<thing>``, ``<things>``, ``<people>``, ``<doing>``, ``<place>``,
  ``<topic>``), the cast (``<host>``, ``<guest>``, ``<guest_first>``, ``<host_first>``, ``<role>``,
  ``<show>``) or a number (``<year>``, ``<pct>``, ``<count>``, ``<few>``, ``<episode>``, ``<price>``,
  ``<month>``, ``<brand>``, ``<product>``, ``<code>``). Punctuation may follow a slot: ``<thing>,``.
- ``{spoken|written|kind}`` is an edit, as in fixtures/make_episode.py: the voice says the spoken side, the
  transcript shows the written side (``{hand drawn|hand-drawn|hyphenated}``).
- Everything else is said and written as is; Markdown (``*really*``, ``[text](url)``) is written, not said.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    """What one episode is about: the words its sentences are filled with."""

    topic: str  # "<topic>": a noun phrase that reads after "about"
    title: str  # the rest of the title after "<guest> on "
    subtitle: str
    role: str  # "<role>": who the guest is, after a comma
    thing: tuple[str, ...]  # "<thing>": singular noun phrases with their article
    things: tuple[str, ...]  # "<things>": plural noun phrases
    people: tuple[str, ...]  # "<people>": plural groups of people
    doing: tuple[str, ...]  # "<doing>": gerund phrases
    place: tuple[str, ...]  # "<place>": where something happened, with its preposition


TOPICS: tuple[Topic, ...] = (
    Topic(
        topic="sleep",
        title="why sleep matters more than we think",
        subtitle="What night shifts, short naps and morning light teach us about the body clock.",
        role="a sleep researcher at a hospital in Boston",
        thing=(
            "the body clock",
            "morning light",
            "a good night's sleep",
            "deep sleep",
            "the afternoon slump",
            "a regular bedtime",
            "jet lag",
            "a warm bath before bed",
            "a dark bedroom",
            "the alarm clock",
        ),
        things=(
            "short naps",
            "night shifts",
            "bad dreams",
            "late dinners",
            "bright screens",
            "quiet bedrooms",
            "early alarms",
            "long flights",
            "soft pillows",
            "noisy neighbors",
        ),
        people=(
            "night nurses",
            "new parents",
            "truck drivers",
            "college students",
            "older adults",
            "pilots",
            "teenagers",
            "shift workers",
        ),
        doing=(
            "sleeping in on weekends",
            "checking the phone in bed",
            "drinking coffee after lunch",
            "going to bed at the same time",
            "taking a short nap",
            "reading before bed",
        ),
        place=("in our sleep lab", "at a hospital in Boston", "in a small town in Ohio", "on long night shifts"),
    ),
    Topic(
        topic="city gardens",
        title="what city gardens give back",
        subtitle="Rooftops, empty lots and the neighbors who turn them into food.",
        role="a city planner who studies community gardens",
        thing=(
            "the soil",
            "fresh water",
            "a shared garden",
            "the growing season",
            "the neighborhood market",
            "a sunny corner",
            "the compost pile",
            "the first frost",
            "the garden fence",
            "a small greenhouse",
        ),
        things=(
            "tomato plants",
            "rooftop gardens",
            "empty lots",
            "raised beds",
            "fruit trees",
            "rain barrels",
            "school gardens",
            "seed swaps",
            "garden tools",
            "green beans",
        ),
        people=(
            "neighbors",
            "school teachers",
            "retired farmers",
            "young families",
            "city planners",
            "volunteers",
            "local cooks",
            "shop owners",
        ),
        doing=(
            "planting in the spring",
            "sharing tools with neighbors",
            "growing food on a roof",
            "saving seeds from last year",
            "watering early in the morning",
            "building a garden bed",
        ),
        place=("in Detroit", "on a rooftop in Chicago", "behind an old school", "in a parking lot downtown"),
    ),
    Topic(
        topic="honey bees",
        title="what honey bees know about teamwork",
        subtitle="Inside the hive, from the first flowers of spring to the long winter.",
        role="a biologist who studies honey bees",
        thing=(
            "the hive",
            "the queen",
            "a warm winter",
            "the first flowers of spring",
            "a healthy colony",
            "the honey harvest",
            "the morning sun",
            "a field of clover",
            "the summer heat",
            "the bee dance",
        ),
        things=(
            "honey bees",
            "wild flowers",
            "bumble bees",
            "summer storms",
            "busy hives",
            "farm fields",
            "garden flowers",
            "old trees",
            "apple trees",
            "young bees",
        ),
        people=(
            "beekeepers",
            "farmers",
            "gardeners",
            "students",
            "fruit growers",
            "scientists",
            "park rangers",
            "children",
        ),
        doing=(
            "keeping bees in the city",
            "planting flowers for bees",
            "counting bees in a garden",
            "moving hives in the winter",
            "watching a hive at night",
            "making honey at home",
        ),
        place=("on a farm in Iowa", "in our test gardens", "near the river", "in the hills of Vermont"),
    ),
    Topic(
        topic="old maps",
        title="the stories hidden in old maps",
        subtitle="Sailors, city streets and the blank spaces at the edge of the world.",
        role="a historian who collects old maps",
        thing=(
            "the coastline",
            "a good map",
            "the compass",
            "the edge of the map",
            "the old harbor",
            "the main road",
            "a blank space",
            "the city center",
            "the north star",
            "the river mouth",
        ),
        things=(
            "old maps",
            "paper maps",
            "city streets",
            "{hand drawn|hand-drawn|hyphenated} maps",
            "road signs",
            "small islands",
            "mountain roads",
            "street names",
            "sea charts",
            "travel books",
        ),
        people=(
            "sailors",
            "travelers",
            "taxi drivers",
            "map makers",
            "hikers",
            "city planners",
            "students",
            "tourists",
        ),
        doing=(
            "drawing maps by hand",
            "finding your way without a phone",
            "reading a paper map",
            "walking a city at night",
            "naming new streets",
            "sailing along the coast",
        ),
        place=("in the city library", "in an old sea chest", "at a flea market in London", "in the national archive"),
    ),
    Topic(
        topic="trains and buses",
        title="how a city learns to move",
        subtitle="Night trains, late buses and the long work of building a rail line.",
        role="an engineer who plans city transit",
        thing=(
            "the morning rush",
            "the last train home",
            "a good transit system",
            "the rail network",
            "the bus schedule",
            "a quiet train car",
            "the main station",
            "the daily commute",
            "the subway map",
            "a monthly pass",
        ),
        things=(
            "night trains",
            "city buses",
            "bike lanes",
            "train stations",
            "ticket prices",
            "long commutes",
            "rail lines",
            "bus stops",
            "parking lots",
            "electric buses",
        ),
        people=(
            "commuters",
            "bus drivers",
            "city planners",
            "students",
            "older riders",
            "train fans",
            "families",
            "night workers",
        ),
        doing=(
            "taking the train to work",
            "waiting for a late bus",
            "riding a bike across town",
            "planning a new rail line",
            "selling the family car",
            "walking to the station",
        ),
        place=("in Chicago", "in a small town in Spain", "across the country", "on the east coast"),
    ),
    Topic(
        topic="baking bread",
        title="the slow art of baking bread",
        subtitle="Flour, water, salt, and a lot of patience.",
        role="a baker who teaches bread classes",
        thing=(
            "the starter",
            "a hot oven",
            "the dough",
            "a good crust",
            "the first rise",
            "a slow morning",
            "the kitchen table",
            "a warm loaf",
            "the bread knife",
            "a pinch of salt",
        ),
        things=(
            "sourdough loaves",
            "fresh bread",
            "kitchen scales",
            "bread recipes",
            "whole grains",
            "home ovens",
            "flour mills",
            "small bakeries",
            "cast iron pans",
            "dinner rolls",
        ),
        people=(
            "home bakers",
            "farmers",
            "chefs",
            "grandparents",
            "bakery owners",
            "students",
            "new cooks",
            "neighbors",
        ),
        doing=(
            "baking bread at home",
            "feeding a starter every day",
            "making dough by hand",
            "sharing bread with neighbors",
            "baking in a small kitchen",
            "waking up early to bake",
        ),
        place=("in my kitchen", "at a bakery in Paris", "in a village in Italy", "at a farm market"),
    ),
    Topic(
        topic="whales",
        title="listening to whales",
        subtitle="What the songs of the open ocean tell us, and why boats make it harder to hear them.",
        role="a marine biologist who studies whales",
        thing=(
            "the open ocean",
            "the whale song",
            "a calm sea",
            "the deep water",
            "the coastline",
            "the research boat",
            "a long journey",
            "the ocean floor",
            "the winter storm",
            "the morning tide",
        ),
        things=(
            "blue whales",
            "ocean currents",
            "fishing boats",
            "coral reefs",
            "sea birds",
            "cold waters",
            "sound waves",
            "warm summers",
            "cargo ships",
            "baby whales",
        ),
        people=(
            "fishermen",
            "boat captains",
            "divers",
            "students",
            "sailors",
            "scientists",
            "local families",
            "tour guides",
        ),
        doing=(
            "listening to whales",
            "tracking boats at sea",
            "diving near the reef",
            "counting whales from the shore",
            "sailing in the winter",
            "recording sounds under water",
        ),
        place=("off the coast of Maine", "in the North Atlantic", "near Hawaii", "on our research boat"),
    ),
    Topic(
        topic="running",
        title="why we run",
        subtitle="First miles, long runs and the surprising science of rest days.",
        role="a coach who trains marathon runners",
        thing=(
            "the first mile",
            "a good warm up",
            "the finish line",
            "a steady pace",
            "the long run",
            "a rest day",
            "the heart rate",
            "race day",
            "a cold morning",
            "the last hill",
        ),
        things=(
            "running shoes",
            "long runs",
            "morning runs",
            "city races",
            "hill workouts",
            "rest days",
            "sore legs",
            "training plans",
            "water breaks",
            "short sprints",
        ),
        people=(
            "new runners",
            "older runners",
            "coaches",
            "marathon runners",
            "students",
            "doctors",
            "weekend runners",
            "children",
        ),
        doing=(
            "running in the rain",
            "training for a marathon",
            "walking during a race",
            "running with friends",
            "stretching after a run",
            "running before work",
        ),
        place=("in Central Park", "at the local track", "on trails near Denver", "in a small running club"),
    ),
)

SHOWS = (
    "Field Notes",
    "The Long View",
    "Open Questions",
    "Good Company",
    "Common Ground",
    "Small Wonders",
    "Inside Stories",
    "Big Ideas",
)
# Names and shows are said in the episode ("I'm talking with ..."), so each was kept only if tiny.en heard it in
# all 8 trials (4 voices x 2 sentences) or 7 of 8; dropped: Nina ("nine"), Anna ("and"), Sarah ("sir"),
# Ruth ("Bruce"), Sam, Tom, Ben, Mark, Paul; Cole, Reed, Ward, Foster, Lopez, Chen, Brooks; "City Hour".
FIRST_NAMES = {  # by the voice's sex: slt is a woman's voice, rms, awb and kal16 men's
    "female": ("Jane", "Maria", "Emily", "Julia", "Rachel", "Grace", "Susan", "Lisa"),
    "male": ("Daniel", "Michael", "Robert", "Oliver", "Simon", "George", "Martin", "Peter"),
}
LAST_NAMES = ("Baker", "Turner", "Johnson", "Wilson", "Anderson", "Miller", "Carter", "Morgan", "Parker", "Thompson")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
BRANDS = (
    ("Blue Harbor Coffee", "fresh coffee beans", "arrive at your door every two weeks"),
    ("Green Table", "healthy meal kits", "take less than thirty minutes to cook"),
    ("North Star Bikes", "electric bikes", "make the ride to work easy"),
    ("Quiet Night", "mattresses", "help you sleep through the night"),
    ("Bright Books", "audio books", "you can listen to anywhere"),
)
CODES = ("listen", "podcast", "welcome", "radio", "morning")

# --- the host -----------------------------------------------------------------------------------------------

INTRO = (
    "Hello and welcome to <show>.",
    "I'm <host>, and this is episode <episode>.",
    "Today I'm talking with <guest>, <role>.",
    "We talk about <topic>, <things>, and why it all matters.",
)
INTRO_SECOND_GUEST = "Later in the show, we will also hear from <guest2>."
WELCOME = (
    "<guest_first>, thanks for joining us.",
    "<guest_first>, welcome to the show.",
    "<guest_first>, it's great to have you here.",
)
THANKS_FOR_HAVING = ("Thanks for having me.", "Thank you, <host_first>.", "It's a pleasure to be here.")
GLAD = ("I'm happy to be here.", "I have been looking forward to this.", "I'm glad we could finally do this.")

QUESTIONS = (
    "How did you first get interested in <topic>?",
    "What does a normal day look like for you?",
    "What do most people get wrong about <topic>?",
    "Can you tell us more about <thing>?",
    "Why do you think <people> care so much about <things>?",
    "What was the biggest surprise in your work?",
    "Where do you see this field in <few> years?",
    "Is there anything our listeners can try at home?",
    "How do you explain <thing> to your friends?",
    "What got you started on <doing>?",
    "What happens to <things> when nobody is paying attention?",
    "Do you remember the first time you saw <thing> up close?",
    "What would you tell someone who is new to <topic>?",
    "How has your work changed since <year>?",
    "Why is <thing> so hard to study?",
    "What is one thing you wish more people knew?",
    "Was there a moment when you almost gave up?",
    "What are you working on right now?",
    "How do <people> react when you tell them about your work?",
    "What role does <thing> play in all of this?",
    "Is it true that <things> are getting more common?",
    "What is the best advice you ever got?",
    "Who taught you the most about <topic>?",
    "What does a good day at work feel like?",
    "How do you choose what to study next?",
    "What does your family think about all this?",
    "Can you walk us through a typical project?",
    "What is the most common question you get?",
    "How much of this comes down to luck?",
    "What would you do with more money for your work?",
    "Is <thing> really as important as people say?",
    "How do you know when something is working?",
    "What did you learn from <people>?",
    "What is something you changed your mind about?",
    "How do you stay excited after so many years?",
    "Why did you decide to write about <things>?",
    "What should we be worried about?",
    "What gives you hope?",
    "Can you give us an example from <place>?",
    "How do you spend your weekends?",
)
FOLLOW_UPS = (
    "That's fascinating.",
    "I did not know that.",
    "That makes a lot of sense.",
    "Interesting.",
    "I love that story.",
    "That's a great point.",
    "Wow, that is a lot.",
    "I have always wondered about that.",
    "That is not what I expected.",
    "Let me ask you about something else.",
)
TO_GUEST = (
    "<guest_first>, what do you think?",
    "<guest_first>, does that match what you see?",
    "<guest_first>, I want to bring you in here.",
)
SECOND_GUEST_IN = ("Now let's bring in <guest2>, <role2>.", "<guest2_first>, thanks for being here.")
SECOND_GUEST_HELLO = ("Thanks, <host_first>.", "It's good to be here.")
BREAK = ("Let's take a short break.", "We will be right back after this.", "Stay with us.")
BACK = ("And we're back.", "Welcome back.")
BACK_WITH = "I'm talking with <guest>."
CLOSING_HOST = ("That's all the time we have today.", "We are just about out of time.")
THANK_GUEST = (
    "<guest_first>, thank you so much for coming on the show.",
    "<guest_first>, thank you for sharing all of this with us.",
)
THANK_HOST = ("Thank you for having me.", "This was really fun.", "Thanks, <host_first>, I enjoyed it.")
SIGN_OFF = ("Thanks for listening to <show>.", "See you next week.")

# --- the guest ----------------------------------------------------------------------------------------------

ANSWERS = (
    "When I started working on <topic>, I thought it would be simple.",
    "It turned out to be much harder than that.",
    "Most <people> don't think about <things> at all.",
    "We looked at <things> in <count> homes over <few> years.",
    "In one study, about <pct> of <people> said they had trouble with <thing>.",
    "The surprising part was how quickly <things> changed.",
    "I spent a lot of time with <people> who were <doing>.",
    "That's when I realized that <thing> was the real story.",
    "There is a very simple reason for that.",
    "If you ask <people>, they will tell you that <thing> matters a lot.",
    "We started this project back in <year>.",
    "My grandmother used to say that <thing> was the key to a good life.",
    "Of course, not everyone agrees with me on this.",
    "The data told a very different story.",
    "I remember one morning <place> when everything went wrong.",
    "It's easy to forget how new all of this is.",
    "We wrote about this in [a short report](https://example.org/report) last year.",
    "People often ask me if <doing> is a good idea.",
    "My answer is always the same: it depends.",
    "The big question is what happens to <things> over time.",
    "We had about <count> people in the first study.",
    "Nobody expected <thing> to make such a big difference.",
    "I think <people> understand this better than most experts.",
    "The first time I saw it, I could not believe it.",
    "So we went back and checked everything again.",
    "There are two things going on here.",
    "The first is <thing>, and the second is <things>.",
    "A lot of the early work happened <place>.",
    "It's not a new idea, but it's a good one.",
    "We still don't know why <things> behave this way.",
    "That is the part I find really exciting.",
    "For a long time, <people> were left out of the picture.",
    "About <pct> of the money goes to <things>.",
    "You can see the change in just <few> weeks.",
    "I know that sounds strange, but it's true.",
    "We tried <doing> for a whole year.",
    "The results were better than we hoped.",
    "It's a bit like learning to ride a bike.",
    "You fall a few times, and then one day it just works.",
    "What matters most is <thing>.",
    "I was lucky to have great teachers.",
    "My first teacher was a very patient woman <place>.",
    "She told me to slow down and look closely.",
    "Every summer, we see more <things> than the year before.",
    "The numbers have gone up since <year>.",
    "It costs about <price> to get started.",
    "That's a lot less than most people think.",
    "Honestly, <doing> changed the way I see the world.",
    "There is still so much we don't understand.",
    "I get a lot of letters from <people>.",
    "One of them wrote that <thing> saved her summer.",
    "We are working with <people> to test a new idea.",
    "If it works, it could help <count> families.",
    "The hardest part is getting started.",
    "After that, it's mostly about being patient.",
    "I think the next <few> years will be very interesting.",
    "We are only at the beginning.",
    "Some of my friends think I'm a little crazy.",
    "But I really love what I do.",
    "In the end, it's all about <thing>.",
    "We made a lot of mistakes in the beginning.",
    "The good news is that <things> are easy to find.",
    "The bad news is that <thing> is getting harder to protect.",
    "You don't need expensive tools to start.",
    "A notebook and a bit of time are enough.",
    "I have been doing this for almost <few> years now.",
    "And I still learn something new every week.",
    "Let me give you an example.",
    "Last spring, we visited a group of <people> <place>.",
    "They had been <doing> for years without any help.",
    "We just listened and took notes.",
    "That changed how we planned the whole project.",
    "It's really about trust.",
    "If people don't trust you, they won't talk to you.",
    "So we spent the first month just getting to know them.",
)
RESTARTS = ("Sorry, let me say that again.", "Actually, wait, let me start over.", "Hold on, let me think about that.")
ADDED = (
    "The full study is linked in the show notes.",
    "This interview was recorded in <month> <year>.",
    "<guest_first> later added that the numbers have not changed much since then.",
    "We have put a list of books in the show notes.",
    "The report was published in <year>.",
)
LAUGH_NOTE = "[laughs]"

# --- backchannels and the ad --------------------------------------------------------------------------------

BACKCHANNELS = ("Yeah.", "Right.", "Mm-hmm.", "Uh huh.", "Sure.", "Wow.", "Okay.")
KEPT_BACKCHANNELS = ("Right.", "Yeah.", "Sure.", "Okay.")  # when the transcript keeps one as its own turn

AD = (
    "This episode is brought to you by <brand>.",
    "<brand> makes <product> that <benefit>.",
    "I have been using them at home for a few months now, and I really like them.",
    "Right now, listeners of this show get <pct> off their first order.",
    "Just go to <site> and use the code <code> at checkout.",
    "That's <site>, code <code>.",
    "Thanks to <brand> for supporting the show.",
)

# --- edits --------------------------------------------------------------------------------------------------

SUBSTITUTIONS = {  # spoken -> written (lightly edited words)
    "big": "large",
    "kids": "children",
    "maybe": "perhaps",
    "pretty": "quite",
    "stuff": "things",
    "okay": "OK",
    "got": "received",
    "start": "begin",
    "help": "support",
    "think": "believe",
}
CONTRACTIONS = {  # written -> spoken in full
    "it's": "it is",
    "don't": "do not",
    "that's": "that is",
    "I'm": "I am",
    "we're": "we are",
    "won't": "will not",
    "let's": "let us",
}
EMPHASIS = ("really", "very", "never", "always", "much", "first")
FILLERS = ("Um,", "Uh,", "you know,", "I mean,", "um,", "uh,", "So, um,")
REPEATABLE = ("I", "we", "the", "a", "it", "to", "and", "that", "in", "you", "they", "my")
