// One folding of text for every search index and every query. SQLite's unicode61 tokenizer (with
// remove_diacritics 2) folds case and most accents ("ó", "ź", Cyrillic case), but not letters that are
// letters of their own rather than accented ones: "ł" stays "ł", "ß" stays "ß", "ё" stays "ё". Folding
// them here, on both sides, makes "lodz" find "Łódź".
const letters: Record<string, string> = {
  ł: 'l', Ł: 'l', ß: 'ss', ẞ: 'ss', ё: 'е', Ё: 'е', ø: 'o', Ø: 'o', æ: 'ae', Æ: 'ae', œ: 'oe', Œ: 'oe',
  đ: 'd', Đ: 'd', ð: 'd', Ð: 'd', þ: 'th', Þ: 'th', ı: 'i', ħ: 'h', Ħ: 'h',
};
const pattern = new RegExp(`[${Object.keys(letters).join('')}]`, 'g');

export function fold(text: string): string {
  return text.replace(pattern, (c) => letters[c] ?? c);
}

/**
 * One word as the index holds it: folded, lower-cased, accents taken off Latin letters. Cyrillic
 * "й", "ї" and "ў" keep theirs, as SQLite's unicode61 tokenizer keeps them ("район" stays "район").
 */
export function foldTerm(text: string): string {
  return fold(text).normalize('NFD').replace(/(\p{Script=Latin})\p{M}+/gu, '$1').normalize('NFC').toLowerCase();
}

/** The words of a query, as the index holds them. */
export function queryTerms(text: string): string[] {
  return foldTerm(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((term) => term.length > 0)
    .slice(0, 12);
}

/** Damerau–Levenshtein distance (adjacent swaps count once), stopping early past `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, previous2[j - 2]! + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    previous2 = previous;
    previous = current;
  }
  return previous[b.length]!;
}
