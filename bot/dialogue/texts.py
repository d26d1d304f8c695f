"""Fixed texts of the dialogue, in one place so they can be reviewed (and translated)."""

CONSENT = (
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
NO_CONSENT = "OK, I stored nothing. Send /start if you change your mind."
ALREADY_CONSENTED = (
    "You agreed earlier, so your data is kept. To withdraw, send /forget: it erases "
    "everything I store about you. /privacy shows what your team may see."
)
EDIT_NOT_APPLIED = (
    "I saw you edited an earlier message; edits only change the message that saved a "
    "check-in. To correct today's check-in, send the right values as a new message, e.g. "
    "'sorry, it was RPE 4, 20 min'."
)
PRIVATE_FILE = (
    "I don't import files posted in a group: a watch file is personal. Send it to me in a "
    "private chat (open my profile and press Message); /privacy says what your team may see."
)
NEED_START = "Please send /start first: I need your consent before I can store a check-in."
HELP_HEAD = "What I can do:"
HELP_TAIL = "You can also just write, e.g. \"RPE 7, 60 min, legs heavy\"."
HELP_STAFF_HEAD = "Coaches and teachers:"
ASK_SEX = "A short profile helps me plan. Sex (used for heart-rate and fitness norms)?"
ASK_BIRTH_YEAR = "Year of birth? (e.g. 2007, or 'skip')"
ASK_SPORT = "Your main sport? (e.g. running, football, or 'skip')"
PROFILE_DONE = (
    "You're set. Send /checkin after training, or /today to see today's session. Fitness "
    "tests (/test) make the plan your own: the template of athletes with results like yours, "
    "and extra work where you are weakest. /schedule sets your week (sessions, minutes, days)."
)
ASK_RPE = "How hard was today's session? RPE 0 (rest) to 10 (maximal)."
ASK_MINUTES = "How many minutes did you train? (e.g. 60, 1h15, 90 min)"
ASK_FEEL = "How do you feel? Write a sentence or two (or 'skip')."
_WAY_OUT = (" Or send the whole check-in in one message, e.g. 'RPE 6, 45 min, legs heavy'. "
            "/cancel stops this check-in.")
EXPECT_RPE = "I need the session's effort: a number from 0 (rest) to 10 (maximal)." + _WAY_OUT
EXPECT_HOOPER = "I need a number from 1 to 7 (or press a button)." + _WAY_OUT
EXPECT_MINUTES = ("I need the session's length: minutes as a number between 0 and 600, "
                  "e.g. 45, 1h15 or 90 min." + _WAY_OUT)
EXPECT_SEX = ("Please answer Female, Male or Skip (or press a button); this is about sex for "
              "heart-rate and fitness norms, your sport comes next. /cancel skips the profile.")
EXPECT_BIRTH_YEAR = "Please send a year like 2007, or 'skip'. /cancel skips the profile."
TAKEN_AS_CHECKIN = ("That reads like a check-in, so I took it as one; the rest of the profile "
                    "is optional and skipped.")
STALE_CHECKIN = "Your check-in from an earlier day was never finished; starting today's."
HOOPER_QUESTIONS = {
    "sleep_quality": "Sleep last night? 1 = very, very good ... 7 = very, very bad",
    "stress": "Stress? 1 = very, very low ... 7 = very, very high",
    "fatigue": "Fatigue? 1 = very, very low ... 7 = very, very high",
    "soreness": "Muscle soreness? 1 = none ... 7 = very, very sore",
}
NOT_UNDERSTOOD = (
    "I didn't get that. Send /checkin to report training, /today for your session, or /help."
)
UNSUPPORTED_LANGUAGE = (
    "I can't read {language} yet: I read English, Spanish, German, Russian and Chinese. "
    "Please send the numbers, e.g. \"RPE 7, 60 min\", and if something hurts, where "
    "(e.g. \"knee pain\")."
)
UNSUPPORTED_LANGUAGE_TAKEN = (
    "I can't read {language} yet, so I took only the numbers and pain words I know. "
    "Write in English, Spanish, German, Russian or Chinese to tell me more."
)
CANCELLED = "Cancelled. Nothing more was stored."
SORRY = "Sorry, something went wrong on my side. Your earlier data is safe; please try again."
STALE_BUTTON = "That button belongs to an earlier question. Send /checkin to start again."
PRIVATE_ONLY_HEAD = (
    "I keep check-ins and plans private: open a chat with me and send /start there."
)

ASK_PAIN_SITE = (
    "You mentioned pain but not where. Nothing gets harder until you tell me: write where it "
    "hurts (e.g. 'left knee sore', 'lower back pain') and I'll protect that area."
)

GROUP_HELP_HEAD = "In a group chat I answer team commands only:"
GROUP_HELP_TAIL = (
    "Everything personal (/checkin, /today, /export ...) happens in a private chat with me."
)
