//! Temporary stand-in for `crate::tokenize` until the real tokenizer lands
//! on `main`. Same public shape, crude ASCII-centric rules.
// TODO(#4): delete when the tokenizer is merged.
#![allow(dead_code, missing_docs)]

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenizerConfig {
    pub fold_case: bool,
    pub fold_apostrophes: bool,
    pub max_token_len: usize,
}

impl Default for TokenizerConfig {
    fn default() -> Self {
        TokenizerConfig {
            fold_case: true,
            fold_apostrophes: true,
            max_token_len: 64,
        }
    }
}

pub struct Token<'a> {
    norm: &'a [u8],
    brk: bool,
}

impl<'a> Token<'a> {
    pub fn norm(&self) -> &'a [u8] {
        self.norm
    }
    pub fn after_clause_break(&self) -> bool {
        self.brk
    }
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

pub fn for_each_token<F: FnMut(&Token<'_>)>(
    text: &[u8],
    config: &TokenizerConfig,
    mut sink: F,
) {
    let mut buf = [0u8; 256];
    let mut n = 0usize;
    let mut brk = false;
    let mut i = 0;
    let cap = config.max_token_len.min(256);
    let mut flush = |buf: &[u8], n: &mut usize, brk: &mut bool| {
        if *n > 0 {
            sink(&Token { norm: &buf[..(*n).min(cap)], brk: *brk });
            *n = 0;
            *brk = false;
        }
    };
    while i < text.len() {
        let b = text[i];
        let prev_word = i > 0 && n > 0;
        if text[i..].starts_with("\u{2019}".as_bytes())
            && prev_word
            && text.get(i + 3).is_some_and(|&c| c.is_ascii_alphabetic())
        {
            if n < 256 {
                buf[n] = b'\'';
                n += 1;
            }
            i += 3;
            continue;
        }
        if text[i..].starts_with("\u{2019}".as_bytes())
            || text[i..].starts_with("\u{201c}".as_bytes())
            || text[i..].starts_with("\u{201d}".as_bytes())
            || text[i..].starts_with("\u{2014}".as_bytes())
        {
            flush(&buf, &mut n, &mut brk);
            i += 3;
            continue;
        }
        if is_word(b) {
            if n < 256 {
                buf[n] =
                    if config.fold_case { b.to_ascii_lowercase() } else { b };
                n += 1;
            }
        } else if (b == b'\'' || b == b'.' || b == b',')
            && prev_word
            && text.get(i + 1).is_some_and(|&c| c.is_ascii_alphanumeric())
        {
            if n < 256 {
                buf[n] = b;
                n += 1;
            }
        } else {
            flush(&buf, &mut n, &mut brk);
            if matches!(b, b'.' | b'!' | b'?' | b';' | b':') {
                brk = true;
            }
        }
        i += 1;
    }
    flush(&buf, &mut n, &mut brk);
}
