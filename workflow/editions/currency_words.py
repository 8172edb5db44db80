"""Words a reader takes for money next to a number that CLDR's currency names and plurals (Babel) do not spell:
hand-vetted data, each entry with where it comes from. currencies.Units adds them to what it reads from CLDR.

Kept small on purpose: a word here is refused next to any number of the language, so only words a reader of
the language reads as nothing but money (no ordinary word, and no stem of one: an entry matches the start of
a non-Latin word, see Units.touching)."""
from __future__ import annotations

# Characters that are a currency's unit in their script, read as money next to a number in every language:
# 円 yen (CLDR ja JPY "日本円"), 元 yuan (CLDR zh, the unit of 美元 港元 ...), 圆/圓 the yuan as printed on notes,
# 원 won (CLDR ko KRW "대한민국 원"). Currency signs (category Sc: ¥ ₩ ...) are read everywhere already.
SCRIPT_UNITS = frozenset({"円", "元", "圆", "圓", "원"})

# ISO 4217 codes readers meet (the registry's prices, the languages of the bench corpus, the major reserve
# and travel currencies), read in lower case too ("2026 usd"); upper case reads every code (get_global).
LOWER_CODES = frozenset({"usd", "eur", "gbp", "jpy", "cny", "rmb", "krw", "rub", "inr", "brl", "pln", "chf",
                         "cad", "aud", "try", "mxn", "hkd", "sgd", "thb", "aed", "sar", "twd", "vnd", "php"})
# ...but not where the lower-case form is an ordinary word. English words stay in every translation (product
# names, quotes, code), so English's exclusions hold in every language. (try and rub are read anyway: CLDR's
# English symbol of TRY and RUB is the code, and Units reads every symbol in lower case: kept, not weakened.)
NOT_LOWER_CODES = {"en": frozenset({"try", "rub", "cad", "php"}), "tr": frozenset({"sar"}),  # tr sar 'wrap'
                   "br": frozenset({"eur"})}  # br eur 'hour' (round 13 red team)
# ISO codes in capitals read as money wherever a translation writes them ("{price} (EUR)"): the common ones, less
# the medical acronyms of these guides (AED defibrillator, CAD coronary artery disease, CHF heart failure) and
# SAR, CLDR's own "Hong Kong SAR" (Special Administrative Region, in every language's territory names). Any
# other code is money next to a number only (currencies.Units): a capitalized heading's SUR (es "COREA DEL SUR"),
# DEM (de "NACH DEM STAND") or NAD+ therapy names no currency.
CAPITAL_CODES = frozenset(code.upper() for code in LOWER_CODES) - {"AED", "CAD", "CHF", "SAR"}

# Per language (base code): abbreviations and inflected forms in common use that CLDR's names and plurals do
# not give (CLDR has the nominative name and the plural categories only, often noun + adjective).
SUPPLEMENT = {
    # Russian: the written abbreviations of рубль, доллар, копейка (Розенталь, «Справочник по правописанию»,
    # сокращения: руб., долл., коп.); dotted only, so no word starting so (рубеж, рубрика) is read
    "ru": frozenset({"руб.", "долл.", "коп."}),
    # Polish: the currency noun comes first in CLDR ("dolar amerykański"), so only the adjective became a unit
    # word; the noun's case forms after numerals (5 dolarów, 2 dolary, 1 dolar; złoty/złote/złotych; euro
    # is indeclinable and in CLDR), pound, yen, yuan, won, rouble (Wielki słownik języka polskiego)
    "pl": frozenset({"dolar", "dolara", "dolary", "dolarów", "dolarach", "złoty", "złote", "złotych",
                     "złotówek", "funt", "funty", "funtów", "jenów", "juanów", "wonów", "rubli", "rubel",
                     "ruble", "franków", "groszy"}),
    # Greek: CLDR writes "Δολάριο ΗΠΑ", "δολάρια ΗΠΑ": the noun first; its forms (ΛΚΝ, Λεξικό της κοινής
    # νεοελληνικής): δολάριο/δολάρια/δολαρίων, λίρα/λίρες/λιρών, γιεν, γουόν, ρούβλι/ρούβλια, φράγκο/φράγκα
    "el": frozenset({"δολάριο", "δολάρια", "δολαρίων", "λίρα", "λίρες", "λιρών", "γιεν", "γουόν", "ρούβλι",
                     "ρούβλια", "ρουβλίων", "φράγκο", "φράγκα", "φράγκων", "γουάν"}),
    # Turkish: "TL", how Turkish lira is written on every price tag (TCMB; CLDR has only ₺ and "Türk lirası"),
    # and "dolar" (below)
    # Portuguese: the plural of real after a number (5 reais); CLDR has "reais brasileiros" only
    "pt": frozenset({"reais"}),
    # Hindi: रुपये and रुपए, the plural forms after a number (CLDR: भारतीय रुपया, रुपए once); as normalized
    # (visible.normalize drops the vowel signs): रपय, रपए; "Rs"/"Rs." (below)
    # Chinese: 块 (塊), the spoken unit of the yuan (现代汉语词典: 块 量词, 用于货币); 人民币 is in CLDR
    "zh": frozenset({"块", "塊"}),
    # Arabic: CLDR's dotted symbols (ر.س.) are also written without their last dot, handled in currencies.py;
    # the plain nouns after a number: ريال ريالات دولار دولارات (CLDR has them with the country's adjective)
    "ar": frozenset({"ريال", "ريالات", "دولار", "دولارات", "دينار", "دنانير", "درهم", "دراهم"}),
    # Round 11 red team: words these readers take for money that no entry above or CLDR gave (each refused
    # nowhere before; none an ordinary word or the start of one). Spanish "dolares", dólares as often typed
    # without its accent; Turkish "dolar", the noun after a number (100 dolar; CLDR: "ABD doları" only);
    # Indonesian "Rp", the rupiah's symbol on every price (CLDR's own, dropped as a two-letter Latin name);
    # Hindi "Rs"/"Rs.", the rupee as printed in English letters; Ukrainian "грн"/"грн.", the hryvnia's
    # abbreviation (CLDR uk: ₴, "українська гривня"); Hebrew ש״ח / ש"ח, the shekel's abbreviation; Vietnamese
    # "VNĐ", the đồng's usual abbreviation; Korean 만원 / 천원 / 억원 (10⁴, 10³, 10⁸ won: 만 is no unit, so
    # 원 did not touch the number); Japanese 人民元 and ウォン
    "es": frozenset({"dolares"}),
    "tr": frozenset({"tl", "dolar"}),
    "id": frozenset({"rp", "rp."}),
    "hi": frozenset({"रुपये", "रुपए", "रुपया", "रुपयों", "डॉलर", "rs", "rs."}),
    "uk": frozenset({"грн", "грн."}),
    "he": frozenset({"ש״ח", 'ש"ח', "שקל"}),   # round 16: the singular shekel, after a number only (below)
    "vi": frozenset({"vnđ"}),
    "ko": frozenset({"만원", "천원", "억원"}),
    # Japanese 人民元 (CLDR: 中国人民元 only) and ウォン (CLDR: 韓国ウォン only), written after an amount
    "ja": frozenset({"人民元", "ウォン"}),
    # Persian تومان, the unit Iranians price in (ten rials; no ISO code, so not in CLDR)
    "fa": frozenset({"تومان"}),
}


# Unit words that are also ordinary words of a language the guides are read in, and so are read as money AFTER a
# number only ("70 pesos", "5 pounds"), never before one: a table row "| Peso | 70 kg |" is "Peso 70 kg" on the
# page (es/pt/it peso 'weight', libra 'pound (weight)', real 'royal/real', marco 'frame', corona 'crown', franco
# 'frank'; de Pfund 'pound (weight)', Rand 'edge', Mark 'marrow'; en pound (weight), won (the verb), mark, rand,
# real). English's unit words serve every language (currencies.Units), so this set holds in every language.
ORDINARY_BEFORE_A_NUMBER = frozenset({"peso", "pesos", "libra", "libras", "real", "reales", "marco", "marcos",
                                      "corona", "coronas", "franco", "francos", "pfund", "rand", "mark", "pound",
                                      "pounds", "won", "שקל"})   # he שקל 'weighed' (שקל 70 קילו); 70 שקל: money

# Round 16: a currency noun a language writes before its qualifier, then "of" and a place (CLDR's territory names,
# the cities of the time-zone database): es "dólares de Hong Kong" names the Hong Kong dollar as CLDR's "dólares
# hongkoneses" does, not every dollar (currency_names.qualified_name). The words for "of" (with an article) in the
# languages that write a currency so, longest first.
OF_A_PLACE = {"es": ("de los ", "de las ", "de la ", "del ", "de "), "pt": ("dos ", "das ", "do ", "da ", "de "),
              "gl": ("dos ", "das ", "do ", "da ", "de "), "ca": ("dels ", "del ", "de la ", "de l'", "de l’", "d'", "d’", "de "),
              "fr": ("des ", "du ", "de la ", "de l'", "de l’", "d'", "d’", "de "),
              "it": ("degli ", "delle ", "dello ", "della ", "dei ", "del ", "di "), "ro": ("din ",)}


def extra_words(lang: str) -> frozenset:
    """The words this module adds for a language (its base code; pseudo and unknown ones: none of their own)."""
    base = lang.split("_")[0].lower()
    codes = LOWER_CODES - NOT_LOWER_CODES["en"] - NOT_LOWER_CODES.get(base, frozenset())
    return SCRIPT_UNITS | codes | SUPPLEMENT.get(base, frozenset())



# currency_marks: words read as money wherever they stand, no number near ("{price} (EUR)", "{price} en euros").
# Most come from CLDR (currency_marks.cldr_words: each language's names, plurals and letter symbols of the
# currencies its readers meet, and the nouns those names share); these are what CLDR does not spell: slang,
# abbreviations, colloquial names, hand-vetted as nouns that name money and nothing else. English's hold in every
# language (English stays in translations: product names, quotes), less a language's ORDINARY_IN. Spelled as
# written: currency_marks normalizes them as it does the text. A word may hold a space (a phrase: đô la).
FREE_WORDS = {  # language -> the currency each word names (a key of MONEY_NAMES, an ISO code, or "any") -> words
    "en": {"dollar": {"dollar", "dollars", "bucks"}, "USD": {"greenback", "greenbacks"}, "euro": {"euro", "euros"},
           "yen": {"yen"}, "yuan": {"yuan", "renminbi"}, "rupee": {"rupee", "rupees", "rs"},  # Rs: ₨ as NFKC shows it
           "ruble": {"ruble", "rubles", "rouble", "roubles"}, "shekel": {"shekel", "shekels"},
           "hryvnia": {"hryvnia", "hryvnias"}, "zloty": {"zloty", "zlotys"}, "baht": {"baht"}, "rupiah": {"rupiah"},
           "ringgit": {"ringgit"}, "forint": {"forint"}, "dirham": {"dirham", "dirhams"}, "riyal": {"riyal", "riyals"},
           "dinar": {"dinar", "dinars"}, "franc": {"franc", "francs"}, "lira": {"lira", "liras"},
           "pound": {"pound sterling", "pounds sterling", "quid"}},  # sterling alone: 'excellent'
    "es": {"dollar": {"dólar", "dólares", "dolar", "dolares", "dls"}, "yen": {"yenes"}, "won": {"wones"},
           "yuan": {"yuanes"}, "ruble": {"rublo", "rublos"}, "rupee": {"rupia", "rupias"},
           "pound": {"esterlina", "esterlinas"}},
    "de": {"CHF": {"franken"}},  # CLDR: "Schweizer Franken", a noun no other name shares
    "ja": {"dollar": {"ドル", "米ドル"}, "yen": {"円", "日本円", "円建て", "円払い"}, "euro": {"ユーロ"}, "won": {"ウォン"},
           "yuan": {"元", "人民元", "ユアン"}, "rupee": {"ルピー"}, "ruble": {"ルーブル"}, "peso": {"ペソ"}, "franc": {"フラン"}},
    "zh": {
           # round 13 red team: the same in traditional characters, which a reader of simplified reads as well
           # (歐元 人民幣 日圓 ...), and the slang 美刀 (US dollar) and 港纸/港紙 (Hong Kong dollar)
           "euro": {"欧元", "歐元"}, "yen": {"日元", "日币", "日圓", "日幣"}, "yuan": {"元", "圆", "圓", "人民币", "人民幣", "块", "塊"},
           "USD": {"美金", "美刀"}, "HKD": {"港币", "港幣", "港纸", "港紙"}, "TWD": {"台币", "新台币", "台幣", "臺幣", "新臺幣"},
           "THB": {"泰铢", "泰銖"}, "won": {"韩元", "韩币", "韓元", "韓幣"}, "pound": {"英镑", "英鎊"},
           "ruble": {"卢布", "盧布"}, "rupee": {"卢比", "盧比"}},
    "ko": {"dollar": {"달러"}, "euro": {"유로"}, "yen": {"엔", "엔화"}, "won": {"원", "원화", "만원", "천원", "억원"},
           "yuan": {"위안화"}, "ruble": {"루블"}, "rupee": {"루피"}, "USD": {"불"}},
    "ru": {"dollar": {"доллар", "доллара", "долларов", "долларах", "долл", "бакс", "бакса", "баксов", "баксы"},
           "euro": {"евро"}, "ruble": {"рубль", "рубля", "рублей", "рублях", "руб"}, "yen": {"иена", "иен", "иены"},
           "yuan": {"юань", "юаней", "юаня"}, "hryvnia": {"гривна", "гривны", "гривен"},
           "any": {"уе"}},  # у.е., 'conventional units': whatever the seller pegs them to
    "uk": {"hryvnia": {"гривня", "гривні", "гривень", "гривнях", "грн"},
           "dollar": {"долар", "долара", "доларів", "бакс", "бакси", "баксів"},
           "euro": {"євро"}},
    "he": {"shekel": {"שקלים", "ש״ח", 'ש"ח'}, "dollar": {"דולר", "דולרים"}, "euro": {"יורו", "אירו"}},  # שקל 'weighed'
    "ar": {"dollar": {"دولار", "دولارات"}, "euro": {"يورو"}, "riyal": {"ريال", "ريالات"}, "dirham": {"دراهم"},
           "dinar": {"دينار", "دنانير"}, "pound": {"جنيه"}},  # درهم alone: an idiom's 'dram' (درهم وقاية)
    "fa": {"IRR": {"تومان"}},  # the unit Iranians price in (ten rials, no ISO code)
    "vi": {"dong": {"đ", "vnđ"}, "dollar": {"đô la", "đô-la", "mỹ kim"}},  # round 13: đô-la, Mỹ kim 'US dollar'
    # round 13 red team: case forms CLDR's nominative does not give; hu euró only whole (Európa starts so)
    "hu": {"euro": {"eurót", "euróban", "euróért", "euróra", "euróval", "eurónál", "euróba", "euróból"}},
    "fi": {"euro": {"euroina", "euroissa", "euroilla", "euroja", "euron", "euroon", "eurolla", "eurossa", "euroksi"}},
    "bg": {"BGN": {"лева", "лв"}},  # the lev's plural and abbreviation (CLDR bg: "лв." of BGN, read only where met)
    # not रु: normalized (vowel signs dropped) it is र, and a word's last र after a vowel sign reads as a word
    # of its own (सरकार 'government', बाज़ार 'market', विचार 'thought': round 13 red team)
    "hi": {"rupee": {"रुपये", "रुपए", "रुपया", "रुपयों", "rs"}, "dollar": {"डॉलर"}},
    "tr": {"lira": {"tl", "lirası"}, "dollar": {"dolar"}, "euro": {"avro"}},
    "pl": {"zloty": {"złotówka", "złotówki", "złotówkach", "złotówek", "złotówkę"}},  # round 13 (złot-: złoto 'gold')
}
# the currencies each key of FREE_WORDS names: those whose English CLDR name has the word (Babel), and these
MONEY_NAMES = {"yen": "JPY", "yuan": "CNY CNH", "won": "KRW KPW", "pound": "GBP", "dong": "VND", "hryvnia": "UAH",
               "shekel": "ILS", "ruble": "RUB BYN", "riyal": "SAR QAR OMR YER IRR", "lira": "TRY"}
# Inflecting languages: a stem is money with any ending (рублями, долларами, гривнею, dolarla, w dolarach,
# دولارًا), where no ordinary word of the language starts so (not шекел-, not שקל: שקלול 'weighting')
# round 15: hu euró takes every case ending (euróig, eurókban) but Európa starts so (STEM_NOT_BEFORE); ru еврик,
# slang for the euro (евриков, евриках; no Russian word starts so: эврика 'eureka' is spelled with э)
STEMS = {"ru": {"ruble": {"рубл"}, "dollar": {"доллар"}, "euro": {"еврик"}},
         "uk": {"dollar": {"долар"}, "hryvnia": {"гривн"}},
         "pl": {"dollar": {"dolar"}}, "tr": {"dollar": {"dolar"}, "lira": {"lira"}, "euro": {"avro"}, "pound": {"sterlin"}},
         "ar": {"dollar": {"دولار"}},
         # round 13 red team: hu forintot, dollárban; fi dollaria, dollareissa; cs dolarech, dolarů
         "hu": {"forint": {"forint"}, "dollar": {"dollár"}, "euro": {"euró"}}, "fi": {"dollar": {"dollar"}},
         "cs": {"dollar": {"dolar"}}}
# the endings a stem does not take, where an ordinary word starts as the stem and one of these (hu Európa)
STEM_NOT_BEFORE = {"hu": {"euró": ("p",)}}
# Arabic and Hebrew write the article and prepositions as part of the next word (بالدولار, בשקלים)
PROCLITICS = {"ar": ("وبال", "فبال", "وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك"),
              "he": ("וב", "וה", "ול", "ומ", "וכ", "שב", "שה", "של", "כש", "מה", "לה", "בה", "ב", "ה", "ו", "ל", "מ",
                     "ש", "כ")}
# CLDR name words no reader takes for money on their own: nouns that are ordinary words of a language the guides
# are read in (weights, crowns, 'royal', 'frank', uk вона 'she', вони 'they', hi फ़र्क 'difference' read as फरक, fa
# درهم 'jumbled', he לירות 'to shoot', vi bảng 'table', đô 'capital') and the adjectives names share (new, South
# Korean). Units still reads them next to a number.
ORDINARY = frozenset({
    "peso", "pesos", "pes", "pesa", "libra", "libras", "libry", "liber", "livre", "livres", "real", "reales", "reals",
    "marco", "marcos", "corona", "coronas", "franco", "francos", "pfund", "pund", "pond", "pound", "pounds", "rand",
    "mark", "won", "wons", "wona", "wony", "wonów", "sol", "lei", "krona", "koruna", "korun", "koruny", "frank",
    "franka", "franki", "franku", "franky", "franků", "funt", "funta", "funty", "funtów", "фунт", "фунта", "фунтов",
    "фунти", "фунтів", "вон", "вона", "воны", "вони", "вонів", "पाउड", "फरक", "درهم", "לירות", "פרנק", "bảng", "đô",
    "dong", "파운드", "new", "nuevo", "nuevos", "nouveau", "nouveaux", "novo", "novos", "nuovo", "nuovi", "neue", "neuer",
    "nieuwe", "nowe", "nowego", "nowy", "nowych", "новый", "нового", "новых", "новий", "нових", "нові", "νέο", "νέα",
    "חדש", "mới", "yeni", "baru", "korean", "קוריאני", "कोरियाई", "κορέας", "νότιας",
    # round 13 red team (each a word of CLDR's own territory, language or unit names, read as money on its
    # own): the pound as a weight (hr bs funte, sl funti, be фунты, sr фунте, dsb hsb punty, lt svarai svarų,
    # lv mārciņa, ca lliures, ast llibres, rm glivra, br lurioù, gd punnd, ga punt, frr pünj, az funtu, ms paun,
    # sw pauni, hy ֆունտ, bn as gu kn kok ml or pa ta te am ti fa ps sd ur: the Indic, Ethiopic and Arabic-script
    # spellings as normalized), 'new' (af nuwe, ca sc nou, ast nuevu, lt naujasis, gd ùr, bn নতুন), 'Korean' and
    # 'Korea' (ce cv mk ka mr gu ml kn pa ur ps sd ks ne ti tk yo pcm kab, bqi mzn کره, also 'butter' and
    # 'sphere' in Persian), 'southern' (ku başûrî, zu i-south, i-new), Urdu's Turkish Thai Japanese Chinese
    # (چینی also 'sugar') Vietnamese Polish, vi đồng (đồng ý 'agree', cộng đồng 'community', hợp đồng
    # 'contract', đồng hồ 'clock': 50.000 đồng is still money), mk ден 'day', bs km 'kilometre' (the
    # convertible mark's KM: still money next to a number)
    "funte", "funti", "фунты", "фунте", "punty", "svarai", "svarų", "mārciņa", "mārciņas", "lliures", "llibres",
    "glivra", "glivras", "lurioù", "punnd", "punt", "pünj", "funtu", "paun", "pauni", "ֆունտ", "পাউণড", "পাউনড",
    "પાઉનડ", "ಪಂಡ", "ಪಂಡಗಳು", "पावड", "പൗണട", "ପାଉଣଡ", "ਪਡ", "பவுணடுகள", "పండ", "పండలు", "ፓውንድ", "پوند",
    "پونډ", "پائونڊ", "پاؤنڈ", "páund", "nuwe", "nou", "nuevu", "naujasis", "ùr", "নতন", "корейн", "корей",
    "корејски", "კორეული", "कोरियन", "કોરિયન", "കൊറിയൻ", "ಕೊರಯನ", "ਕਰੀਆਈ", "کوریائی", "ڪوريائي", "کوريايي",
    "کورین", "कोरियाली", "ኮርያዊ", "koreý", "kòríà", "koriá", "kurya", "کوره", "کره", "başûrî", "i-south", "i-new",
    "ترکی", "تھائی", "جاپانی", "چینی", "ویتنامی", "پولش", "đồng", "ден", "km",
    # words CLDR's names share that are function words or 'new' (da fra 'from'; da nb nn nye, ro noi (also
    # 'we'), et uut, lb nei, oc nau, lld nü nüs, mi hou, gd ùra: 'new'; kln luo ya, ki cia, seh de, sn re, rof sa,
    # kxv ti, ksf mǝ: 'of' and the like), gu ફરક pa ਫਰਕ 'difference' (as hi फरक), lt korėjos 'of Korea', the
    # crown (da nb krone, dental too), the pound (fy pûn, br lur, mfe liv)
    "fra", "nye", "noi", "uut", "nei", "nau", "nü", "nüs", "hou", "ùra", "ya", "cia", "de", "re", "sa", "ti", "mǝ",
    "ફરક", "ਫਰਕ", "korėjos", "krone", "pûn", "lur", "liv",
    # round 15 (CLDR's own unit and language names, once the word boundary read them whole): my ပေါင် the pound
    # as a weight (psi: ပေါင်/စတုရန်းလက်မ), si කොරියානු 'Korean' (as normalized)
    "ပေါင", "කොරයාන"})
# per language: English (or CLDR) words that are ordinary words there (fr franc 'frank', it quid 'something')
ORDINARY_IN = {"fr": frozenset({"franc", "francs"}), "it": frozenset({"quid"}),
               # round 13 red team: hu font 'pound (weight)', 'typeface' (Ft is the forint's mark);
               # lt frankų 'of the Franks'; yo awon, the plural article; mas ɔ́ɔ̄ 'of'; rm la 'the', nov 'new'
               "hu": frozenset({"font"}), "lt": frozenset({"frankų"}), "yo": frozenset({"awon"}), "mas": frozenset({"ɔɔ"}),
               "rm": frozenset({"la", "nov"}),
               # round 15: si ර, the rupee's රු. as normalized (its vowel sign dropped), is CLDR si's own
               # abbreviation of 'square' in unit names (ර මිමී): dropped as hi's रु was
               "si": frozenset({"ර"})}
# the words of FREE_WORDS also read inside an unspaced run of Han and kana (料金は米ドルで: three characters or
# more, or two vetted ones: 美元 欧元, not 日元 of 今日元旦) or at the start of a Hangul word (달러로 'in dollars');
# CLDR's unspaced names of three characters or more are read so too
FREE_INSIDE = frozenset({"米ドル", "日本円", "ペソ", "ユーロ", "ウォン", "人民元", "ルピー", "ルーブル", "美元", "欧元", "人民币",
                         "韩元", "港元", "英镑", "卢布", "卢比", "달러", "유로", "엔화", "원화", "위안화", "루블", "루피",
                         "만원", "천원", "억원", "円建て", "円払い", "美金", "韩币", "港币", "台币", "新台币", "泰铢",
                         "歐元", "人民幣", "韓元", "港幣", "英鎊", "盧布", "盧比", "美刀", "韓幣", "台幣", "臺幣", "新臺幣",
                         "泰銖", "日圓", "日幣", "港纸", "港紙"})
# names that hold a money word and name no money, beside CLDR's euro area (currency_names.ordinary_phrases), per
# language: a word of the unspaced scripts is read anywhere in a run of letters (싱가폴달러, ドルベース) except in
# these: ja ルーブル美術館 the Louvre museum (ルーブル the ruble), フランス France (フラン the franc), ウォンバット wombat
# (ウォン the won); ko 자유로 'free(ly)' (자유로운, 자유로이: 유로 the euro); CLDR's exemplar cities that hold one (zh
# 卢布尔雅那, zh_Hant 盧比安納 Ljubljana: 卢布 the ruble, 盧比 the rupee; tests/test_money_word_boundary.py)
ORDINARY_PHRASES = {"ja": frozenset({"ルーブル美術館", "ルーヴル美術館", "フランス", "ウォンバット"}),
                    "ko": frozenset({"자유로"}), "zh": frozenset({"卢布尔雅那", "盧布爾雅那", "盧比安納"})}
# money pictographs (So, not Sc: no sign): the currency each shows, "any" for a bag or coin of no currency
MONEY_EMOJI = {"\U0001f4b2": "$", "\U0001f4b5": "USD", "\U0001f4b4": "JPY", "\U0001f4b6": "EUR", "\U0001f4b7": "GBP",
               "\U0001f4b0": "any", "\U0001f4b8": "any", "\U0001fa99": "any"}
# letters a reader takes for Latin ones that services._LOOKALIKES lacks (Unicode's confusables, UTS #39): Greek
# lunate sigma, Cyrillic straight u, qa, we, Coptic s o r, as str.lower() gives them
CONFUSABLE_LETTERS = {"ϲ": "c", "ү": "y", "ԛ": "q", "ԝ": "w", "ⲥ": "c", "ⲟ": "o", "ⲣ": "p", "ɡ": "g"}
