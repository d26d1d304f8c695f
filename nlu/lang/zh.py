"""Chinese (Simplified): how athletes say effort, time, sleep, pain and mood.

Chinese has no spaces between words, so every pattern matches inside running text and every
window counts characters (``spaced=False``). Numbers are digits or numerals ("四十五",
"两个小时", "一个半小时", "半小时"). Site words exclude the compounds that are no body part
("手机" phone, "足球" football, "钟头" hour, "瓶颈" bottleneck), and "不" is a negator except
in words that hold it without negating ("不错" not bad, "不过" but, "差不多" about). Sports
idiom: "酸", "酸痛" are muscle soreness after training (a Hooper item), "紧", "僵硬" tight
muscles (watch); "疼", "痛", "抽筋", "崴", "拉伤", "扭伤", "不舒服" are pain. SnowNLP, which
ships its own model, scores Chinese sentiment beside the lexicon (``nlu/multi_sentiment.py``).
"""

from __future__ import annotations

from nlu.lang.numbers import chinese_numbers
from nlu.lang.spec import (
    DurationRule,
    LanguageSpec,
    PainLexicon,
    SentimentLexicon,
    WellnessRule,
)

_H = r"个?(?:小时|钟头|小時|鐘頭)|h|hrs?"
_M = r"分钟|分鐘|mins?|'"
_NOT_AFTER_MINUTE = r"(?!\s*(?:公里|千米|米|km|组|次|圈|个))"
#: "不" negates, except inside words that hold it without negating.
_NEGATORS = (
    r"(?<!差)不(?!错|少|过|管|然|仅|但|知|久|断|停|同|行|好意思|够|舒服|适|得不)|"
    r"没(?!想到)|无|未|别|毫无|零"
)

SPEC = LanguageSpec(
    code="zh",
    name="中文",
    spaced=False,
    script=r"[\u4e00-\u9fff]",
    numbers=chinese_numbers(),
    hour_units=_H,
    minute_units=_M,
    durations=(
        DurationRule(r"(?P<h>\d)\s*h\s*(?P<m>[0-5]\d)(?!\d)"),
        DurationRule(
            rf"(?P<h>{{NUM}})\s*{{H}}\s*零?(?P<m>{{NUM}})\s*(?:{{M}}|分)?{_NOT_AFTER_MINUTE}"
        ),
        DurationRule(r"(?P<h>{NUM})\s*个?(?P<half>半)\s*(?:小时|钟头|钟)"),
        DurationRule(r"(?P<h>{NUM})\s*(?:小时|钟头)\s*(?P<half>半)"),
        DurationRule(r"半\s*个?\s*(?:小时|钟头|钟)", fixed=30.0),
        DurationRule(r"三刻钟", fixed=45.0),
        DurationRule(r"一刻钟", fixed=15.0),
        DurationRule(r"(?P<h>{NUM})\s*{H}"),
        DurationRule(r"(?P<m>{NUM})\s*{M}", in_hours=False),
    ),
    rpe_keys=(
        r"强度|主观疲劳(?:度|程度)?|疲劳度|用力程度|费力程度|自觉(?:强度|用力)|辛苦程度|"
        r"吃力程度|难度|累的程度|体感强度|感觉强度"
    ),
    rpe_fillers=r"是|为|有|大概|大约|约|差不多|在|达到|只有|就|也|感觉|算|打|:|=|-|~",
    out_of_ten=r"分?\s*[(]?\s*满分\s*(?:10|十)\s*分?\s*[)]?",
    rpe_rated=(
        r"(?:打|给|评)了?[^\d,.!?;。]{0,4}?\s*(?P<n>{NUM})\s*分(?!钟)",
        r"(?P<n>{NUM})\s*分(?:的)?(?:强度|努力|累)",
    ),
    not_rpe_before=r"睡眠|睡|心情|疼|痛|压力|动力|精力|状态",
    sleep_words=r"睡|眠",
    distance_units={r"公里|千米|km|k": 1.0, r"米|m": 0.001, r"英里": 1.609344},
    repetition_before=r"组|次|趟|轮",
    not_session_after=r"(?:的)?热身",
    time_of_day_before=r"(?:早上|晚上|下午|上午|凌晨|中午)",
    wellness=(
        WellnessRule(
            "soreness",
            r"肌肉酸痛|酸痛|酸(?!奶)|僵硬|腿(?:很|好|有点)?沉|腿重|沉重|发紧|紧绷",
            5,
        ),
        WellnessRule(
            "soreness", r"腿(?:很|特别|挺)?(?:轻松|轻|有劲|有力)|腿的状态(?:特别|很|非常)?好", 2
        ),
        WellnessRule(
            "fatigue",
            r"累瘫|累垮|累死|累趴|筋疲力尽|精疲力尽|虚脱|要死了|废了|没力气|没劲|透支|"
            r"累得不行|累成狗",
            6,
        ),
        WellnessRule("fatigue", r"累|疲劳|疲惫|乏力|困|没精神|没精力|犯困|疲倦", 5),
        WellnessRule(
            "fatigue", r"精力充沛|精神(?:很)?好|有精神|充满活力|满血|体力充沛|恢复得很好", 2
        ),
        WellnessRule("stress", r"压力|紧张|焦虑|烦躁|心烦|着急", 5),
        WellnessRule("stress", r"放松(?!跑)|没压力|平静|淡定", 2),
        WellnessRule("mood", r"崩溃|绝望|抑郁", 6),
        WellnessRule(
            "mood",
            r"郁闷|难过|沮丧|烦|不开心|心情(?:不好|差|很差)|没动力|没心情|不想练|失落|生气|"
            r"倒霉|无语|伤心",
            5,
        ),
        WellnessRule(
            "mood",
            r"开心|高兴|兴奋|满意|满足|心情(?:很|特别)?好|有动力|快乐|愉快|爽|过瘾|骄傲|"
            r"自豪|享受",
            2,
        ),
        WellnessRule(
            "sleep_quality",
            r"睡得(?:很|不太|非常|特别)?(?:差|不好|糟)|没睡好|失眠|睡不着|没怎么睡|"
            r"睡眠(?:很|不太)?(?:差|不好)|几乎没睡",
            6,
        ),
        WellnessRule(
            "sleep_quality",
            r"睡得(?:很|非常|特别)?(?:好|香|踏实|不错)|睡眠(?:很)?好|一觉到天亮|睡了个好觉",
            2,
        ),
    ),
    wellness_negator=r"(?:不|没有?|别|未|无)(?:太|怎么|很|那么|是很)?",
    intensifiers=r"(?:很|非常|特别|超|超级|太|好|巨|贼|十分|极其|相当|真|挺|最)",
    softeners=r"(?:有点|有一点|有些|稍微|一点|略|微微)",
    pain=PainLexicon(
        sides={"left": r"左", "right": r"右", "both": r"两|双"},
        side_after=False,
        sites={
            "lower_back": r"下背部?|下腰|腰(?!带|包)(?:部|椎|间盘)?|骶骨|尾骨",
            "upper_back": r"上背部?|肩胛(?:骨)?|胸椎",
            "back": r"后背|背部|背(?![景包心诵着])",
            "hip_flexor": r"髋屈肌|髂腰肌|屈髋肌",
            "it_band": r"髂胫束|itb",
            "achilles": r"跟腱",
            "hamstring": r"腘绳肌|大腿后侧|大腿后面|大腿后部|股二头肌|腿后侧",
            "groin": r"腹股沟|大腿内侧|内收肌|耻骨",
            "knee": r"膝盖|膝关节|膝(?:部)?|髌骨|半月板|十字韧带|跑步膝|跑者膝",
            "ankle": r"脚踝|踝(?:关节|部)?|脚脖子",
            "shin": r"胫骨|小腿前侧|外胫|胫(?:前)?",
            "shoulder": r"肩(?:膀|部|关节)?|肩袖",
            "calf": r"小腿(?:肚)?|腓肠肌|比目鱼肌",
            "hip": r"髋(?:部|关节)?|胯(?:部)?",
            "wrist": r"手腕|腕(?:关节|部)?",
            "elbow": r"手肘|胳膊肘|肘(?:关节|部)?|网球肘",
            "neck": r"脖子|(?<!瓶)颈(?:部|椎)?",
            "toe": r"大脚趾|脚趾(?:头)?|脚指(?:头)?|趾(?:头)?",
            "foot": r"脚后跟|脚跟|足跟|脚底|足底|脚掌|脚心|足弓|脚面|脚背|"
            r"(?<!手)脚(?!步|本|踝|趾|指)|足(?!球|够|以|迹)",
            "quad": r"股四头肌|大腿(?:前侧|前面)?",
            "glute": r"臀(?:部|大肌|中肌)?|屁股",
            "hand": r"手指|手掌|拇指|(?<![对选新高帮凶老能])手(?![机表环续术段腕肘套])",
            "chest": r"胸(?:口|部|肌)?|肋(?:骨|部)?",
            "head": r"偏头痛|头(?=疼|痛|晕|部)|脑袋",
        },
        pain_cues=(
            r"疼痛|痛疼|剧痛|刺痛|胀痛|隐痛|绞痛|作痛|疼|痛(?!快|苦)|(?<!受)伤(?!心|感|害|亡)|受伤|抽筋|痉挛|崴|扭(?:伤|到|了)|拉伤|"
            r"拉到|肿|(?:筋膜|腱鞘|肌腱|关节|滑囊|骨膜)炎|发炎|炎症|不舒服|不适|骨折|挫伤|撞伤"
        ),
        sore_cues=r"酸痛|酸(?!奶)",
        tight_cues=r"紧(?!张)|僵硬|发紧|紧绷",
        negators=_NEGATORS,
        negation_window=4,
        negation_phrases=r"(?:没有?|无|不|毫无)(?:任何|一点|一丝|半点|什么)(?:儿)?(?:的)?",
        phrase_break=r"[,:;()、\u2013\u2014]|\s-\s",
        implied_sites={
            r"筋膜炎": "foot",
            r"骨膜炎": "shin",
        },
        post_negation=r"^\s*[:=]?\s*(?:没有了?|没了|无|零|0)(?:$|[,.;!?\s]|了)",
        resolved=r"消失|不见了|痊愈|康复|不再",
        hedges=r"(?:不太|不怎么|没那么|不是很|不算太?|不是特别|没有很|不大)$",
    ),
    sentiment=SentimentLexicon(
        negators=_NEGATORS,
        boosters=r"很|非常|特别|超|超级|太|好|巨|贼|十分|极其|相当|真|挺|最|真的",
        dampeners=r"有点|有一点|有些|稍微|略|一点",
        contrast=r"但是|可是|不过|但|然而",
        model="snownlp",
    ),
    clause_split=r"[.!?;\n。]+|但是|可是|不过|但(?!是)|然而|只是",
    intents={
        "greet": r"^\s*(?:你好|您好|嗨|哈喽|早上好|晚上好|下午好)",
        "help": r"帮助|怎么用|你能做什么|有什么功能",
        "ask_today": r"今天(?:练|做|跑|训练)什么|今天的(?:计划|训练|安排)|今天(?:怎么|该)练",
        "ask_why": r"为什么|为啥",
        "thanks": r"谢谢|多谢|感谢",
    },
)
