//! Property tests: round trips, tamper rejection, and no panic on any input.

mod common;

use common::*;
use kms_core::prelude::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

fn context_strategy() -> impl Strategy<Value = EncryptionContext> {
    proptest::collection::btree_map("[a-zA-Z:_-]{1,12}", ".{0,16}", 0..4)
        .prop_map(|m: BTreeMap<String, String>| EncryptionContext(m))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn encrypt_then_decrypt_round_trips(plaintext in proptest::collection::vec(any::<u8>(), 1..=4096), context in context_strategy()) {
        let mut world = world();
        let caller = root(PROD);
        let key = create_key(&mut world, &caller);
        let blob = encrypt(&mut world, &caller, &key.key_id, &plaintext, &context);
        prop_assert_eq!(decrypt(&mut world, &caller, &blob, &context), plaintext);
    }

    #[test]
    fn any_single_byte_change_is_rejected(plaintext in proptest::collection::vec(any::<u8>(), 1..64), index in any::<prop::sample::Index>(), flip in 1u8..=255) {
        let mut world = world();
        let caller = root(PROD);
        let key = create_key(&mut world, &caller);
        let mut blob = encrypt(&mut world, &caller, &key.key_id, &plaintext, &ctx(&[]));
        let i = index.index(blob.len());
        blob[i] ^= flip;
        let e = world.call(caller, decrypt_request(&blob, &ctx(&[]))).result.unwrap_err();
        // Changing the key id makes the blob name a key that does not exist.
        let expected = if (4..20).contains(&i) { "AccessDeniedException" } else { "InvalidCiphertextException" };
        prop_assert_eq!(e.name(), expected);
    }

    #[test]
    fn arbitrary_bytes_as_a_blob_never_panic_nor_change_the_world(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let mut world = world();
        let caller = root(PROD);
        create_key(&mut world, &caller);
        let before = snapshot(&world);
        prop_assert!(world.call(caller, decrypt_request(&bytes, &ctx(&[]))).result.is_err());
        prop_assert_eq!(snapshot(&world), before);
    }

    #[test]
    fn arbitrary_text_never_panics_as_a_request_or_a_log(text in ".{0,300}") {
        let _ = Request::from_json(&text);
        let _ = World::import_json(&text);
        let _ = kms_core::ids::KeyReference::parse(&text);
        let _ = Principal::parse(&text);
        let _ = Timestamp::parse_iso8601(&text);
    }

    #[test]
    fn arbitrary_key_ids_never_panic_and_change_nothing(key_id in "(alias/|arn:aws:kms:[a-z0-9-]{0,12}:[0-9]{0,12}:(key|alias)/)?[a-zA-Z0-9/_-]{0,40}") {
        let mut world = world();
        let caller = root(PROD);
        let before = snapshot(&world);
        let result = world.call(caller, Request::Encrypt(EncryptRequest {
            key_id,
            plaintext: SecretBytes::new(vec![1]),
            ..Default::default()
        })).result;
        if result.is_err() {
            prop_assert_eq!(snapshot(&world), before);
        }
    }
}

/// Texts the hostile-input sweep mutates: every built-in scenario, the
/// docs example, a world exported from one, a request and a policy.
fn seeds() -> Vec<String> {
    let mut seeds: Vec<String> = kms_core::scenario::builtin::INDEX
        .iter()
        .filter_map(|e| kms_core::scenario::builtin::text(e.id))
        .map(str::to_string)
        .collect();
    seeds.push(include_str!("../../docs/example-scenario.json").to_string());
    seeds.push(common::entries::base_world().export_json());
    seeds.push(
        r#"{"Action": "kms:Encrypt", "Parameters": {"KeyId": "alias/aws/rds", "Plaintext": "aGk=", "EncryptionContext": {"a": "b"}}}"#
            .into(),
    );
    seeds.push(four_statement_policy(PROD, "KeyAdmin", "App").to_string());
    seeds
}

/// One edit of a text, as a fuzzer makes them.
#[derive(Debug, Clone)]
enum Edit {
    Delete(prop::sample::Index, usize),
    Insert(prop::sample::Index, Vec<u8>),
    Replace(prop::sample::Index, u8),
    Duplicate(prop::sample::Index, usize),
    Truncate(prop::sample::Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<prop::sample::Index>(), 1usize..64).prop_map(|(i, n)| Edit::Delete(i, n)),
        (
            any::<prop::sample::Index>(),
            prop::collection::vec(
                prop_oneof![
                    Just(b'{'),
                    Just(b'}'),
                    Just(b'"'),
                    Just(b','),
                    Just(b'$'),
                    any::<u8>()
                ],
                1..8
            )
        )
            .prop_map(|(i, b)| Edit::Insert(i, b)),
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Edit::Replace(i, b)),
        (any::<prop::sample::Index>(), 1usize..200).prop_map(|(i, n)| Edit::Duplicate(i, n)),
        any::<prop::sample::Index>().prop_map(Edit::Truncate),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        if bytes.is_empty() {
            break;
        }
        match e {
            Edit::Delete(i, n) => {
                let at = i.index(bytes.len());
                let end = (at + n).min(bytes.len());
                bytes.drain(at..end);
            }
            Edit::Insert(i, b) => {
                let at = i.index(bytes.len());
                bytes.splice(at..at, b.iter().copied());
            }
            Edit::Replace(i, b) => {
                let at = i.index(bytes.len());
                bytes[at] = *b;
            }
            Edit::Duplicate(i, n) => {
                let at = i.index(bytes.len());
                let end = (at + n).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                bytes.splice(end..end, copy);
            }
            Edit::Truncate(i) => bytes.truncate(i.index(bytes.len())),
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The fuzz targets' entry points (`fuzz/`, `cargo xtask fuzz`), swept
    /// briefly on every test run with inputs a few edits away from real ones.
    #[test]
    fn hostile_entry_points_keep_their_invariants(
        seed in any::<prop::sample::Index>(),
        edits in prop::collection::vec(edit(), 0..6),
    ) {
        let seeds = seeds();
        let input = apply(seeds[seed.index(seeds.len())].clone().into_bytes(), &edits);
        common::entries::scenario(&input);
        common::entries::world_import(&input);
        common::entries::request(&input);
        common::entries::policy(&input);
        common::entries::blob(&input);
    }
}
