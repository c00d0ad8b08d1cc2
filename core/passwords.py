"""Password rules beyond Django's own: 等保 level 3 asks for a mix of character classes."""

import re
import string

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        classes = [
            any(c in string.ascii_lowercase for c in password),
            any(c in string.ascii_uppercase for c in password),
            any(c in string.digits for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                f"密码须至少包含小写字母、大写字母、数字、符号中的{self.min_classes}类。",
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return f"密码须至少包含小写字母、大写字母、数字、符号中的{self.min_classes}类。"


class MinimumLengthValidator:
    """Django's length rule with a Chinese message: Django 5.2's zh_Hans catalogue lacks the wording its
    validator now uses, so the refusal would reach a Chinese user in English."""

    def __init__(self, min_length: int = 10):
        self.min_length = min_length

    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(
                f"密码长度太短。密码必须包含至少 {self.min_length} 个字符。",
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self) -> str:
        return f"密码必须包含至少 {self.min_length} 个字符。"


class UsernameInPasswordValidator:
    """Django's similarity rule lets `dept123456A` through (the username is only a third of it): a
    password that contains the username at all (case-insensitive, usernames of 3 characters or more)
    is refused."""

    def __init__(self, min_username_length: int = 3):
        self.min_username_length = min_username_length

    def validate(self, password: str, user=None) -> None:
        username = (getattr(user, "username", "") or "").strip().lower()
        if len(username) >= self.min_username_length and username in password.lower():
            raise ValidationError("密码不能包含用户名。", code="password_contains_username")

    def get_help_text(self) -> str:
        return "密码不能包含用户名。"


# The commonest surnames and given-name syllables in pinyin, and words people build passwords from: a
# name or word followed by a year or a run of digits (Zhangming2026, Woaini1314) is guessed early.
_PINYIN_SURNAMES = """
    wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng liang xie song
    tang han feng deng cao peng zeng xiao tian dong yuan pan cai jiang yu du ye cheng wei su lv lyu ding ren
    shen yao lu jin fu zhong cui tan shi fan wan qiu qin gu hou shao meng long duan lei qian bai hao kong
    xiang mao yin kang mo niu chang qi ouyang situ zhuge shangguan
    """
PINYIN_SURNAMES = frozenset(_PINYIN_SURNAMES.split())
_PINYIN_GIVEN = """
    wei fang na min jing li qiang lei jun yang yong yan jie juan tao ming chao xiu xia hui hua ping gang
    gui ying hong fei hai bo bin ning ning kai xin yu yi ting lin jian guo dong feng long qing mei lan
    zhi wen hao tian peng ji hua cheng xue shan rui chen hua lu jia zi han xuan yue ling qian yun bing
    hong yao shu feng jin an le pei zhen zhong zhi quan bao kun rong sheng hui hu xiang xing xiao
    """
PINYIN_GIVEN = frozenset(_PINYIN_GIVEN.split())
_COMMON_WORDS = """
    password passwd admin administrator root welcome qwerty qwer asdf zxcv abc abcd abcde letmein
    iloveyou woaini aini china zhongguo beijing shanghai test user guest system manager love monkey dragon
    """
COMMON_WORDS = frozenset(_COMMON_WORDS.split())
_LETTERS_THEN_DIGITS = re.compile(r"[A-Za-z]{1,12}[0-9]+")


def _pinyin_name(letters: str) -> bool:
    """Surname plus one or two given-name syllables (zhangming, lixiaohong, ouyangfeng)."""
    for surname in PINYIN_SURNAMES:
        if not letters.startswith(surname):
            continue
        rest = letters[len(surname) :]
        if rest in PINYIN_GIVEN or any(
            rest[:i] in PINYIN_GIVEN and rest[i:] in PINYIN_GIVEN for i in range(1, len(rest))
        ):
            return True
    return False


class SimplePatternValidator:
    """Refuses passwords built as a name or word and digits: only letters followed only by digits (the
    letters 12 or fewer), or, whatever the symbols around them, a pinyin name or a common word with digits."""

    def validate(self, password: str, user=None) -> None:
        if _LETTERS_THEN_DIGITS.fullmatch(password):
            raise ValidationError(
                "密码为字母加数字的简单组合，容易被猜中，请混入符号或打乱顺序。",
                code="password_simple_pattern",
            )
        letters = "".join(c for c in password.lower() if c.isascii() and c.isalpha())
        if (
            letters
            and any(c.isdigit() for c in password)
            and (letters in COMMON_WORDS or _pinyin_name(letters))
        ):
            raise ValidationError(
                "密码不能使用姓名拼音或常见单词加数字的组合。", code="password_name_and_digits"
            )

    def get_help_text(self) -> str:
        return "密码不能是姓名拼音、常见单词或简单的字母加数字组合。"
