//! What a `PutKeyPolicy` changes: the policy it replaces beside the new one,
//! line by line, both pretty-printed, so a learner sees the statement that
//! was added or taken away rather than two walls of JSON.

use crate::ids::KeyId;
use crate::kms::policy_text::pretty_text;
use crate::kms::state::Kms;
use crate::request::Request;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use serde::Serialize;

/// Above this many cells (lines of one × lines of the other, once the
/// common beginning and end are set aside) the diff shows the middle as
/// removed then added instead of aligning it: time and memory stay bounded
/// whatever a policy holds (a key policy is at most 32 KB).
pub const MAX_ALIGNED_CELLS: usize = 250_000;

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum DiffLine {
    /// In both.
    Same(String),
    /// Only in the policy replaced.
    Removed(String),
    /// Only in the new policy.
    Added(String),
}

/// A `PutKeyPolicy`'s change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PolicyChange {
    /// The key's ARN.
    pub key_arn: String,
    /// The replaced policy against the new one.
    pub lines: Vec<DiffLine>,
}

/// If `request` is a `PutKeyPolicy` on a key of `kms`, what it would change:
/// read before the call is sent.
pub fn policy_change(kms: &Kms, request: &Request) -> Option<PolicyChange> {
    let Request::PutKeyPolicy(r) = request else {
        return None;
    };
    let id = KeyId::parse(r.key_id.rsplit('/').next().unwrap_or_default())?;
    let key = kms.keys.get(&id)?;
    Some(PolicyChange {
        key_arn: key.arn().to_string(),
        lines: diff(&pretty_text(&key.policy.text), &pretty_text(&r.policy)),
    })
}

/// `old` against `new`, line by line (a longest common subsequence of
/// lines, bounded by [`MAX_ALIGNED_CELLS`]).
pub fn diff(old: &str, new: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (mid_a, mid_b) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let same = |lines: &[&str]| {
        lines
            .iter()
            .map(|l| DiffLine::Same(l.to_string()))
            .collect::<Vec<_>>()
    };
    let mut out = same(&a[..head]);
    if mid_a.len().saturating_mul(mid_b.len()) > MAX_ALIGNED_CELLS {
        out.extend(mid_a.iter().map(|l| DiffLine::Removed(l.to_string())));
        out.extend(mid_b.iter().map(|l| DiffLine::Added(l.to_string())));
    } else {
        // lengths[i][j]: the longest common subsequence of mid_a[i..] and mid_b[j..].
        let (n, m) = (mid_a.len(), mid_b.len());
        let mut lengths = vec![0u32; (n + 1) * (m + 1)];
        let at = |i: usize, j: usize| i * (m + 1) + j;
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lengths[at(i, j)] = if mid_a[i] == mid_b[j] {
                    lengths[at(i + 1, j + 1)] + 1
                } else {
                    lengths[at(i + 1, j)].max(lengths[at(i, j + 1)])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && mid_a[i] == mid_b[j] {
                out.push(DiffLine::Same(mid_a[i].to_string()));
                i += 1;
                j += 1;
            } else if j < m && (i == n || lengths[at(i, j + 1)] >= lengths[at(i + 1, j)]) {
                out.push(DiffLine::Added(mid_b[j].to_string()));
                j += 1;
            } else {
                out.push(DiffLine::Removed(mid_a[i].to_string()));
                i += 1;
            }
        }
    }
    out.extend(same(&a[a.len() - tail..]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(d: &[DiffLine]) -> Vec<String> {
        d.iter()
            .map(|l| match l {
                DiffLine::Same(t) => alloc::format!(" {t}"),
                DiffLine::Removed(t) => alloc::format!("-{t}"),
                DiffLine::Added(t) => alloc::format!("+{t}"),
            })
            .collect()
    }

    #[test]
    fn a_line_diff_keeps_what_is_shared() {
        assert_eq!(
            lines(&diff("a\nb\nc\nd", "a\nc\nx\nd")),
            [" a", "-b", " c", "+x", " d"]
        );
        assert_eq!(lines(&diff("", "a")), ["+a"]);
        assert_eq!(lines(&diff("a\nb", "a\nb")), [" a", " b"]);
    }

    #[test]
    fn a_huge_change_is_shown_whole_not_aligned() {
        let old: String = (0..600).map(|i| alloc::format!("o{i}\n")).collect();
        let new: String = (0..600).map(|i| alloc::format!("n{i}\n")).collect();
        let d = diff(&old, &new);
        assert_eq!(d.len(), 1200);
        assert!(matches!(d[0], DiffLine::Removed(_)));
        assert!(matches!(d[600], DiffLine::Added(_)));
    }
}
