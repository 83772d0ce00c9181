import { closingReferences, isSameRepository } from '../../progress/closing-keywords';

describe('closingReferences', () => {
  it.each([
    'close',
    'closes',
    'closed',
    'fix',
    'fixes',
    'fixed',
    'resolve',
    'resolves',
    'resolved',
    'CLOSES',
    'Fixes',
    'rEsOlVeD',
  ])('recognises the keyword %s', (kw) => {
    expect(closingReferences(`${kw} #3`)).toEqual([{ number: 3 }]);
  });

  it('reads owner/repo#N, a colon, and issue URLs', () => {
    expect(closingReferences('Fixes: #4')).toEqual([{ number: 4 }]);
    expect(closingReferences('closes octo-org/room.one#12')).toEqual([{ repository: 'octo-org/room.one', number: 12 }]);
    expect(closingReferences('Resolves https://github.com/org/room/issues/7')).toEqual([
      { repository: 'org/room', number: 7 },
    ]);
  });

  it('finds each keyworded reference once, in order', () => {
    expect(closingReferences('Closes #2 and fixes #1; closes #2 again')).toEqual([{ number: 2 }, { number: 1 }]);
  });

  it('needs a keyword per reference, a standalone keyword, and a whole number', () => {
    expect(closingReferences('Closes #1, #2')).toEqual([{ number: 1 }]);
    expect(closingReferences('prefixes #3, unfixed #4, closes#5, closing #6')).toEqual([]);
    expect(closingReferences('closes #7a')).toEqual([]);
    expect(closingReferences('see #3')).toEqual([]);
    expect(closingReferences(undefined)).toEqual([]);
    expect(closingReferences(null)).toEqual([]);
  });

  it('compares repositories case-insensitively; a bare #N is the same repository', () => {
    expect(isSameRepository({ number: 1 }, 'org/room')).toBe(true);
    expect(isSameRepository({ repository: 'ORG/Room', number: 1 }, 'org/room')).toBe(true);
    expect(isSameRepository({ repository: 'org/other', number: 1 }, 'org/room')).toBe(false);
  });
});
