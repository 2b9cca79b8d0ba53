// Charset labels as the web reads them (WHATWG Encoding Standard, "Names and labels"). A label not in
// this table is unknown: the decoder moves on to its next recognizer, as browsers do. We do not ask
// iconv-lite about unknown labels because it also knows non-text codecs ("base64", "hex", "binary").

/** Canonical WHATWG encoding name → the labels that mean it (lower case, trimmed). */
export const ENCODING_LABELS: Readonly<Record<string, readonly string[]>> = {
  'utf-8': ['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8', 'x-unicode20utf8'],
  ibm866: ['866', 'cp866', 'csibm866', 'ibm866'],
  'iso-8859-2': [
    'csisolatin2',
    'iso-8859-2',
    'iso-ir-101',
    'iso8859-2',
    'iso88592',
    'iso_8859-2',
    'iso_8859-2:1987',
    'l2',
    'latin2',
  ],
  'iso-8859-3': [
    'csisolatin3',
    'iso-8859-3',
    'iso-ir-109',
    'iso8859-3',
    'iso88593',
    'iso_8859-3',
    'iso_8859-3:1988',
    'l3',
    'latin3',
  ],
  'iso-8859-4': [
    'csisolatin4',
    'iso-8859-4',
    'iso-ir-110',
    'iso8859-4',
    'iso88594',
    'iso_8859-4',
    'iso_8859-4:1988',
    'l4',
    'latin4',
  ],
  'iso-8859-5': [
    'csisolatincyrillic',
    'cyrillic',
    'iso-8859-5',
    'iso-ir-144',
    'iso8859-5',
    'iso88595',
    'iso_8859-5',
    'iso_8859-5:1988',
  ],
  'iso-8859-6': [
    'arabic',
    'asmo-708',
    'csiso88596e',
    'csiso88596i',
    'csisolatinarabic',
    'ecma-114',
    'iso-8859-6',
    'iso-8859-6-e',
    'iso-8859-6-i',
    'iso-ir-127',
    'iso8859-6',
    'iso88596',
    'iso_8859-6',
    'iso_8859-6:1987',
  ],
  'iso-8859-7': [
    'csisolatingreek',
    'ecma-118',
    'elot_928',
    'greek',
    'greek8',
    'iso-8859-7',
    'iso-ir-126',
    'iso8859-7',
    'iso88597',
    'iso_8859-7',
    'iso_8859-7:1987',
    'sun_eu_greek',
  ],
  'iso-8859-8': [
    'csiso88598e',
    'csisolatinhebrew',
    'hebrew',
    'iso-8859-8',
    'iso-8859-8-e',
    'iso-ir-138',
    'iso8859-8',
    'iso88598',
    'iso_8859-8',
    'iso_8859-8:1988',
    'visual',
  ],
  'iso-8859-8-i': ['csiso88598i', 'iso-8859-8-i', 'logical'],
  'iso-8859-10': ['csisolatin6', 'iso-8859-10', 'iso-ir-157', 'iso8859-10', 'iso885910', 'l6', 'latin6'],
  'iso-8859-13': ['iso-8859-13', 'iso8859-13', 'iso885913'],
  'iso-8859-14': ['iso-8859-14', 'iso8859-14', 'iso885914'],
  'iso-8859-15': ['csisolatin9', 'iso-8859-15', 'iso8859-15', 'iso885915', 'iso_8859-15', 'l9'],
  'iso-8859-16': ['iso-8859-16'],
  'koi8-r': ['cskoi8r', 'koi', 'koi8', 'koi8-r', 'koi8_r'],
  'koi8-u': ['koi8-ru', 'koi8-u'],
  macintosh: ['csmacintosh', 'mac', 'macintosh', 'x-mac-roman'],
  'windows-874': ['dos-874', 'iso-8859-11', 'iso8859-11', 'iso885911', 'tis-620', 'windows-874'],
  'windows-1250': ['cp1250', 'windows-1250', 'x-cp1250'],
  'windows-1251': ['cp1251', 'windows-1251', 'x-cp1251'],
  // The web's rule: ISO-8859-1 and ASCII labels mean windows-1252. Real "latin1" pages use 0x80-0x9F
  // for curly quotes and dashes; decoding them as C1 controls would lose those characters.
  'windows-1252': [
    'ansi_x3.4-1968',
    'ascii',
    'cp1252',
    'cp819',
    'csisolatin1',
    'ibm819',
    'iso-8859-1',
    'iso-ir-100',
    'iso8859-1',
    'iso88591',
    'iso_8859-1',
    'iso_8859-1:1987',
    'l1',
    'latin1',
    'us-ascii',
    'windows-1252',
    'x-cp1252',
  ],
  'windows-1253': ['cp1253', 'windows-1253', 'x-cp1253'],
  // Likewise ISO-8859-9 means windows-1254.
  'windows-1254': [
    'cp1254',
    'csisolatin5',
    'iso-8859-9',
    'iso-ir-148',
    'iso8859-9',
    'iso88599',
    'iso_8859-9',
    'iso_8859-9:1989',
    'l5',
    'latin5',
    'windows-1254',
    'x-cp1254',
  ],
  'windows-1255': ['cp1255', 'windows-1255', 'x-cp1255'],
  'windows-1256': ['cp1256', 'windows-1256', 'x-cp1256'],
  'windows-1257': ['cp1257', 'windows-1257', 'x-cp1257'],
  'windows-1258': ['cp1258', 'windows-1258', 'x-cp1258'],
  'x-mac-cyrillic': ['x-mac-cyrillic', 'x-mac-ukrainian'],
  gbk: [
    'chinese',
    'csgb2312',
    'csiso58gb231280',
    'gb2312',
    'gb_2312',
    'gb_2312-80',
    'gbk',
    'iso-ir-58',
    'x-gbk',
  ],
  gb18030: ['gb18030'],
  big5: ['big5', 'big5-hkscs', 'cn-big5', 'csbig5', 'x-x-big5'],
  'euc-jp': ['cseucpkdfmtjapanese', 'euc-jp', 'x-euc-jp'],
  'iso-2022-jp': ['csiso2022jp', 'iso-2022-jp'],
  shift_jis: ['csshiftjis', 'ms932', 'ms_kanji', 'shift-jis', 'shift_jis', 'sjis', 'windows-31j', 'x-sjis'],
  'euc-kr': [
    'cseuckr',
    'csksc56011987',
    'euc-kr',
    'iso-ir-149',
    'korean',
    'ks_c_5601-1987',
    'ks_c_5601-1989',
    'ksc5601',
    'ksc_5601',
    'windows-949',
  ],
  'utf-16be': ['unicodefffe', 'utf-16be'],
  'utf-16le': ['csunicode', 'iso-10646-ucs-2', 'ucs-2', 'unicode', 'unicodefeff', 'utf-16', 'utf-16le'],
  // Left out on purpose: WHATWG's "replacement" labels (iso-2022-kr, hz-gb-2312, iso-2022-cn) exist to
  // defeat XSS through 7-bit escapes, and "x-user-defined" is not text. Both fall through as unknown.
};

/**
 * The iconv-lite codec for each WHATWG encoding, where its name differs. WHATWG's decoders are the
 * supersets browsers use: GBK is decoded by GB18030, Big5 by Big5-HKSCS, EUC-KR by windows-949.
 */
export const ICONV_CODEC: Readonly<Record<string, string>> = {
  gbk: 'gb18030',
  big5: 'big5hkscs',
  'euc-kr': 'cp949',
  'koi8-u': 'koi8-ru',
  'iso-8859-8-i': 'iso-8859-8',
  'x-mac-cyrillic': 'maccyrillic',
};

/** Encodings whose bytes never look like ASCII; an ASCII-level declaration of them is a lie. */
export const UTF16 = new Set(['utf-16le', 'utf-16be']);

const BY_LABEL: ReadonlyMap<string, string> = new Map(
  Object.entries(ENCODING_LABELS).flatMap(([name, labels]) => labels.map((l) => [l, name] as const)),
);

/** The canonical WHATWG name for a charset label, or undefined when the web does not know it. */
export function encodingForLabel(label: string): string | undefined {
  // WHATWG: strip ASCII whitespace, compare case-insensitively. Quotes survive some sloppy headers.
  const key = label
    .trim()
    .replace(/^["']|["']$/g, '')
    .trim()
    .toLowerCase();
  return BY_LABEL.get(key);
}
