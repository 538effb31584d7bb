//! The few protobuf messages a newer `.apkg` holds, read by hand: `PackageMetadata`,
//! `MediaEntries` and the `kind` of a notetype's config (`anki/proto/anki/import_export.proto`,
//! `notetypes.proto`). Two messages of a handful of fields do not earn a code generator.

/// One field of a message: its number and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    /// Fixed 32- and 64-bit values, skipped by every reader here.
    Fixed,
}

/// The fields of a message in order, or `None` if the bytes are not a well-formed message.
pub fn fields(mut bytes: &[u8]) -> Option<Vec<(u64, Value<'_>)>> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let key = varint(&mut bytes)?;
        let number = key >> 3;
        let value = match key & 7 {
            0 => Value::Varint(varint(&mut bytes)?),
            1 => {
                bytes = bytes.get(8..)?;
                Value::Fixed
            }
            2 => {
                let len = usize::try_from(varint(&mut bytes)?).ok()?;
                let (value, rest) = (bytes.get(..len)?, bytes.get(len..)?);
                bytes = rest;
                Value::Bytes(value)
            }
            5 => {
                bytes = bytes.get(4..)?;
                Value::Fixed
            }
            _ => return None,
        };
        out.push((number, value));
    }
    Some(out)
}

fn varint(bytes: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&b, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// The first varint field `number` of a message, or 0 (protobuf's default) when absent.
pub fn varint_field(message: &[u8], number: u64) -> Option<u64> {
    Some(
        fields(message)?
            .into_iter()
            .find_map(|(n, v)| match v {
                Value::Varint(x) if n == number => Some(x),
                _ => None,
            })
            .unwrap_or(0),
    )
}

/// One file of a newer package's media list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaEntry {
    pub name: String,
    pub size: u64,
}

/// `MediaEntries { repeated MediaEntry entries = 1 }`, `MediaEntry { string name = 1;
/// uint32 size = 2; bytes sha1 = 3; ... }`; entry i is zip member `i`.
pub fn media_entries(message: &[u8]) -> Option<Vec<MediaEntry>> {
    fields(message)?
        .into_iter()
        .filter(|(n, _)| *n == 1)
        .map(|(_, v)| {
            let Value::Bytes(entry) = v else {
                return None;
            };
            let mut name = None;
            let mut size = 0;
            for (n, v) in fields(entry)? {
                match (n, v) {
                    (1, Value::Bytes(b)) => name = Some(String::from_utf8_lossy(b).into_owned()),
                    (2, Value::Varint(s)) => size = s,
                    _ => {}
                }
            }
            Some(MediaEntry { name: name?, size })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_entries_read_as_the_encoding_guide_writes_them() {
        // protobuf encoding guide: key = field << 3 | wire type, so field 1 length-delimited
        // is 0x0a and field 2 varint is 0x10; 150 is `96 01`.
        let bytes = [
            0x0a, 0x0a, 0x0a, 0x05, b'a', b'.', b'j', b'p', b'g', 0x10, 0x96, 0x01, //
            0x0a, 0x09, 0x0a, 0x05, b'b', b'.', b'm', b'p', b'3', 0x10, 0x03,
        ];
        assert_eq!(
            media_entries(&bytes).unwrap(),
            [
                MediaEntry {
                    name: "a.jpg".into(),
                    size: 150
                },
                MediaEntry {
                    name: "b.mp3".into(),
                    size: 3
                }
            ]
        );
    }

    #[test]
    fn the_guide_s_example_varint_decodes() {
        // https://protobuf.dev/programming-guides/encoding/: `08 96 01` is field 1 = 150.
        assert_eq!(varint_field(&[0x08, 0x96, 0x01], 1), Some(150));
        assert_eq!(varint_field(&[], 1), Some(0));
    }

    #[test]
    fn truncated_or_overlong_messages_are_refused() {
        assert_eq!(fields(&[0x0a, 0x05, 1, 2]), None);
        assert_eq!(
            fields(&[
                0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
            ]),
            None
        );
        assert_eq!(fields(&[0x0b]), None);
        assert_eq!(media_entries(&[0x08, 0x01]), None);
        assert_eq!(media_entries(&[]), Some(vec![]));
    }
}
