"""Fixed texts of the dialogue, in one place so they can be reviewed and translated.

Each is an English message id marked with `N_` (so extraction finds it) and translated where
it is used, ``_(texts.CONSENT)``: this module is imported once, before any turn has a
language, so a translation here would be frozen in whatever language came first.
"""

from bot.i18n import N_, _

SKIP = N_("skip")
"""The word that skips a question ('skip' is understood in every language too)."""


def skipped(text: str) -> bool:
    """'skip', in English or in the person's language."""
    return text.strip().lower() in ("skip", _(SKIP).lower())


CONSENT = N_(
    "Hi! I'm coachloop, your training assistant.\n\n"
    "Before I store anything about you, please read this:\n"
    "- What I store: your daily check-ins (effort, minutes, sleep, stress, fatigue, "
    "soreness, how you feel in your own words), wearable files you send, fitness tests "
    "and the sessions I plan for you.\n"
    "- Who sees it: you. A coach or teacher of a team or class you join sees all of it in "
    "a private chat (readiness, load, wellness, pain sites and what you write), so they can "
    "look after you. In the team's group chat only what you allow with /privacy is shown; "
    "free text and pain details never go to a group.\n"
    "- Withdraw any time: /export sends you all your data, /forget erases all of it.\n\n"
    "Do you agree?"
)
NO_CONSENT = N_("OK, I stored nothing. Send /start if you change your mind.")
ALREADY_CONSENTED = N_(
    "You agreed earlier, so your data is kept. To withdraw, send /forget: it erases "
    "everything I store about you. /privacy shows what your team may see."
)
EDIT_NOT_APPLIED = N_(
    "I saw you edited an earlier message; edits only change the message that saved a "
    "check-in. To correct today's check-in, send the right values as a new message, e.g. "
    "'sorry, it was RPE 4, 20 min'."
)
PRIVATE_FILE = N_(
    "I don't import files posted in a group: a watch file is personal. Send it to me in a "
    "private chat (open my profile and press Message); /privacy says what your team may see."
)
NEED_START = N_("Please send /start first: I need your consent before I can store a check-in.")
HELP_HEAD = N_("What I can do:")
HELP_TAIL = N_("You can also just write, e.g. \"RPE 7, 60 min, legs heavy\".")
HELP_STAFF_HEAD = N_("Coaches and teachers:")
ASK_SEX = N_("A short profile helps me plan. Sex (used for heart-rate and fitness norms)?")
ASK_BIRTH_YEAR = N_("Year of birth? (e.g. 2007, or 'skip')")
ASK_SPORT = N_("Your main sport? (e.g. running, football, or 'skip')")
PROFILE_DONE = N_(
    "You're set. Send /checkin after training, or /today to see today's session. Fitness "
    "tests (/test) make the plan your own: the template of athletes with results like yours, "
    "and extra work where you are weakest. /schedule sets your week (sessions, minutes, days)."
)
ASK_RPE = N_("How hard was today's session? RPE 0 (rest) to 10 (maximal).")
ASK_MINUTES = N_("How many minutes did you train? (e.g. 60, 1h15, 90 min)")
ASK_FEEL = N_("How do you feel? Write a sentence or two (or 'skip').")
EXPECT_RPE = (N_("I need the session's effort: a number from 0 (rest) to 10 (maximal). Or send "
              "the whole check-in in one message, e.g. 'RPE 6, 45 min, legs heavy'. /cancel "
              "stops this check-in."))
EXPECT_HOOPER = (N_("I need a number from 1 to 7 (or press a button). Or send the whole check-in "
                 "in one message, e.g. 'RPE 6, 45 min, legs heavy'. /cancel stops this "
                 "check-in."))
EXPECT_MINUTES = (N_("I need the session's length: minutes as a number between 0 and 600, "
                  "e.g. 45, 1h15 or 90 min. Or send the whole check-in in one message, e.g. "
                  "'RPE 6, 45 min, legs heavy'. /cancel stops this check-in."))
EXPECT_SEX = (N_("Please answer Female, Male or Skip (or press a button); this is about sex for "
              "heart-rate and fitness norms, your sport comes next. /cancel skips the profile."))
EXPECT_BIRTH_YEAR = N_("Please send a year like 2007, or 'skip'. /cancel skips the profile.")
TAKEN_AS_CHECKIN = (N_("That reads like a check-in, so I took it as one; the rest of the profile "
                    "is optional and skipped."))
STALE_CHECKIN = N_("Your check-in from an earlier day was never finished; starting today's.")
HOOPER_QUESTIONS = {
    "sleep_quality": N_("Sleep last night? 1 = very, very good ... 7 = very, very bad"),
    "stress": N_("Stress? 1 = very, very low ... 7 = very, very high"),
    "fatigue": N_("Fatigue? 1 = very, very low ... 7 = very, very high"),
    "soreness": N_("Muscle soreness? 1 = none ... 7 = very, very sore"),
}
NOT_UNDERSTOOD = N_(
    "I didn't get that. Send /checkin to report training, /today for your session, or /help."
)
UNSUPPORTED_LANGUAGE = N_(
    "I can't read {language} yet: I read English, Spanish, German, Russian and Chinese. "
    "Please send the numbers, e.g. \"RPE 7, 60 min\", and if something hurts, where "
    "(e.g. \"knee pain\")."
)
UNSUPPORTED_LANGUAGE_TAKEN = N_(
    "I can't read {language} yet, so I took only the numbers and pain words I know. "
    "Write in English, Spanish, German, Russian or Chinese to tell me more."
)
CANCELLED = N_("Cancelled. Nothing more was stored.")
SORRY = N_("Sorry, something went wrong on my side. Your earlier data is safe; please try again.")
STALE_BUTTON = N_("That button belongs to an earlier question. Send /checkin to start again.")
PRIVATE_ONLY_HEAD = N_(
    "I keep check-ins and plans private: open a chat with me and send /start there."
)

ASK_PAIN_SITE = N_(
    "You mentioned pain but not where. Nothing gets harder until you tell me: write where it "
    "hurts (e.g. 'left knee sore', 'lower back pain') and I'll protect that area."
)

GROUP_HELP_HEAD = N_("In a group chat I answer team commands only:")
GROUP_HELP_TAIL = N_(
    "Everything personal (/checkin, /today, /export ...) happens in a private chat with me."
)
