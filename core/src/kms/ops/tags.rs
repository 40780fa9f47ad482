//! TagResource, UntagResource, ListResourceTags.

use crate::env::Ctx;
use crate::error::KmsError;
use crate::kms::actions::*;
use crate::kms::api::responses::*;
use crate::kms::api::*;
use crate::kms::call::Keys;
use crate::kms::validate::{MAX_TAGS, check_tags, page};
use crate::principal::Caller;
use crate::request::{EmptyResponse, Response};
use alloc::format;
use alloc::vec::Vec;

/// `TagResource`.
pub fn tag_resource(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &TagResourceRequest,
) -> Result<Response, KmsError> {
    check_tags(&r.tags)?;
    let key = k.plain_key(ctx, caller, &r.key_id, &TAG_RESOURCE)?;
    let mut tags = key.tags.clone();
    tags.extend(
        r.tags
            .iter()
            .map(|t| (t.tag_key.clone(), t.tag_value.clone())),
    );
    if tags.len() > MAX_TAGS {
        return Err(KmsError::LimitExceededException(format!(
            "A key can have at most {MAX_TAGS} tags."
        )));
    }
    key.tags = tags;
    Ok(Response::Empty(EmptyResponse {}))
}

/// `UntagResource`.
pub fn untag_resource(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &UntagResourceRequest,
) -> Result<Response, KmsError> {
    let key = k.plain_key(ctx, caller, &r.key_id, &UNTAG_RESOURCE)?;
    for tag in &r.tag_keys {
        key.tags.remove(tag);
    }
    Ok(Response::Empty(EmptyResponse {}))
}

/// `ListResourceTags`.
pub fn list_resource_tags(
    k: &mut Keys<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &ListForKeyRequest,
) -> Result<Response, KmsError> {
    let all: Vec<Tag> = k
        .plain_key(ctx, caller, &r.key_id, &LIST_RESOURCE_TAGS)?
        .tags
        .iter()
        .map(|(key, value)| Tag {
            tag_key: key.clone(),
            tag_value: value.clone(),
        })
        .collect();
    let (tags, next_marker, truncated) = page(all, r.limit, r.marker.as_deref(), 50, 50)?;
    Ok(Response::ListResourceTags(ListResourceTagsResponse {
        tags,
        next_marker,
        truncated,
    }))
}
