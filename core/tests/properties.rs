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
