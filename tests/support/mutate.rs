//! Byte-level mutations of valid text, the way a fuzzer breaks inputs: inserts of interesting
//! tokens or random bytes, deletions, overwrites and duplications.

use proptest::prelude::*;

/// One edit to a byte string: insert, delete, overwrite, or duplicate a slice.
#[derive(Debug, Clone)]
pub enum Edit {
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Overwrite(usize, u8),
    Duplicate(usize, usize),
}

pub fn edit() -> impl Strategy<Value = Edit> {
    let interesting = prop::sample::select(vec![
        b"{{".to_vec(),
        b"}}".to_vec(),
        b"\"".to_vec(),
        b"\"\"\"".to_vec(),
        b"[[".to_vec(),
        b"]]".to_vec(),
        b"+++\n".to_vec(),
        b"\n".to_vec(),
        b"=".to_vec(),
        b"\x1b[31m".to_vec(),
        b"\xff\xfe".to_vec(),
        "\u{202e}".as_bytes().to_vec(),
        b"note:".to_vec(),
        b"{{c1::".to_vec(),
        b"[[questions.choices]]\n".to_vec(),
    ]);
    prop_oneof![
        (
            any::<usize>(),
            prop_oneof![interesting, prop::collection::vec(any::<u8>(), 1..8)]
        )
            .prop_map(|(at, b)| Edit::Insert(at, b)),
        (any::<usize>(), 1usize..40).prop_map(|(at, n)| Edit::Delete(at, n)),
        (any::<usize>(), any::<u8>()).prop_map(|(at, b)| Edit::Overwrite(at, b)),
        (any::<usize>(), 1usize..80).prop_map(|(at, n)| Edit::Duplicate(at, n)),
    ]
}

pub fn apply(text: &str, edits: &[Edit]) -> Vec<u8> {
    let mut b = text.as_bytes().to_vec();
    for e in edits {
        let len = b.len().max(1);
        match e {
            Edit::Insert(at, bytes) => {
                let at = at % (b.len() + 1);
                b.splice(at..at, bytes.iter().copied());
            }
            Edit::Delete(at, n) => {
                let at = at % len;
                let end = (at + n).min(b.len());
                if at < end {
                    b.drain(at..end);
                }
            }
            Edit::Overwrite(at, byte) => {
                if !b.is_empty() {
                    let at = at % b.len();
                    b[at] = *byte;
                }
            }
            Edit::Duplicate(at, n) => {
                let at = at % len;
                let end = (at + n).min(b.len());
                if at < end {
                    let slice = b[at..end].to_vec();
                    b.splice(end..end, slice);
                }
            }
        }
    }
    b
}
