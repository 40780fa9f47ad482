//! The RDS Data API: ExecuteStatement, on rows really encrypted with the
//! cluster's data key.

use crate::crypto::data::DataCipher;
use crate::env::Ctx;
use crate::error::KmsError;
use crate::principal::Caller;
use crate::request::Response;
use crate::secret::SecretString;
use crate::services::rds::api::*;
use crate::services::rds::call::RdsCall;
use crate::services::rds::sql::{self, Statement};
use crate::services::rds::state::*;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

/// The longest SQL statement the RDS Data API takes.
pub const MAX_SQL_LENGTH: usize = 65_536;
/// The most bytes of values one Data API answer may carry.
pub const MAX_RESPONSE_BYTES: usize = 1 << 20;

/// `ExecuteStatement (RDS Data API)`.
pub fn execute_statement(
    c: &mut RdsCall<'_>,
    ctx: &mut Ctx<'_>,
    caller: &Caller,
    r: &ExecuteStatementRequest,
) -> Result<Response, KmsError> {
    // The statement holds row data: its value is not echoed.
    crate::error::check_sensitive_length("sql", r.sql.len(), 0, MAX_SQL_LENGTH)?;
    let key = c.own_cluster_key(caller, &r.resource_arn)?;
    let arn = c.rds.clusters[&key].arn();
    c.authorize(ctx, caller, "rds-data:ExecuteStatement", arn)?;
    let statement = sql::parse(r.sql.expose())
        .map_err(|e| KmsError::BadRequestException(format!("ERROR: {e}")))?;
    let cluster = &c.rds.clusters[&key];
    let data_key = match (cluster.status, &cluster.data_key) {
        (ClusterStatus::Available, Some(k)) => k.clone(),
        (status, _) => return Err(unavailable(cluster, status)),
    };
    let cipher = DataCipher::new(&data_key)
        .map_err(|e| KmsError::DatabaseUnavailableException(e.to_string()))?;
    let aad = |table: &str| format!("{}/{table}", cluster.storage.volume_id).into_bytes();
    match statement {
        Statement::CreateTable { table, columns } => {
            if cluster.storage.tables.contains_key(&table) {
                return Err(KmsError::BadRequestException(format!(
                    "ERROR: relation \"{table}\" already exists"
                )));
            }
            let cluster = c
                .rds
                .clusters
                .get_mut(&key)
                .ok_or_else(|| KmsError::DBClusterNotFoundFault(key.2.clone()))?;
            cluster.storage.tables.insert(
                table,
                Table {
                    columns,
                    rows: Vec::new(),
                },
            );
            Ok(statement_response(Vec::new(), 0, "CREATE TABLE".into()))
        }
        Statement::Insert {
            table,
            columns,
            rows,
        } => {
            let existing = cluster
                .storage
                .tables
                .get(&table)
                .ok_or_else(|| missing_table(&table))?;
            let order: Vec<usize> = match &columns {
                None => (0..existing.columns.len()).collect(),
                Some(named) => named
                    .iter()
                    .map(|c| {
                        existing.columns.iter().position(|e| e == c).ok_or_else(|| {
                            KmsError::BadRequestException(format!(
                                "ERROR: column \"{c}\" of relation \"{table}\" does not exist"
                            ))
                        })
                    })
                    .collect::<Result<_, _>>()?,
            };
            let width = existing.columns.len();
            let mut sealed = Vec::with_capacity(rows.len());
            for row in &rows {
                if row.len() != order.len() {
                    return Err(KmsError::BadRequestException(format!(
                        "ERROR: INSERT has {} expressions but {} target columns",
                        row.len(),
                        order.len()
                    )));
                }
                let mut full = vec![String::new(); width];
                for (value, &at) in row.iter().zip(&order) {
                    full[at] = value.clone();
                }
                sealed.push(full);
            }
            let aad = aad(&table);
            let mut encrypted = Vec::with_capacity(sealed.len());
            for row in &sealed {
                let iv: [u8; 12] = ctx.random.bytes();
                encrypted.push(cipher.seal(iv, &aad, &sql::encode_row(row)));
            }
            let n = encrypted.len() as u64;
            let cluster = c
                .rds
                .clusters
                .get_mut(&key)
                .ok_or_else(|| KmsError::DBClusterNotFoundFault(key.2.clone()))?;
            if let Some(t) = cluster.storage.tables.get_mut(&table) {
                t.rows.extend(encrypted);
            }
            Ok(statement_response(
                Vec::new(),
                n,
                SecretString::new(format!("INSERT 0 {n}")),
            ))
        }
        Statement::SelectAll { table } => {
            let t = cluster
                .storage
                .tables
                .get(&table)
                .ok_or_else(|| missing_table(&table))?;
            let aad = aad(&table);
            let mut size = 0usize;
            let mut rows: Vec<Vec<SecretString>> = Vec::with_capacity(t.rows.len());
            for sealed in &t.rows {
                let row = cipher
                    .open(&aad, sealed)
                    .ok()
                    .and_then(|plain| sql::decode_row(plain.expose()))
                    .ok_or_else(|| {
                        KmsError::DatabaseUnavailableException(
                            "A stored row failed authentication.".into(),
                        )
                    })?;
                size += row.iter().map(SecretString::len).sum::<usize>();
                if size > MAX_RESPONSE_BYTES {
                    return Err(KmsError::BadRequestException(
                        "Database returned more than the allowed response size limit".into(),
                    ));
                }
                rows.push(row);
            }
            let output = sql::psql_table(&t.columns, &rows);
            Ok(statement_response(rows, 0, output))
        }
    }
}

fn statement_response(
    rows: Vec<Vec<SecretString>>,
    updated: u64,
    psql_output: SecretString,
) -> Response {
    Response::Rds(RdsResponse::Statement(ExecuteStatementResponse {
        records: rows
            .into_iter()
            .map(|r| r.into_iter().map(|v| Field { string_value: v }).collect())
            .collect(),
        number_of_records_updated: updated,
        psql_output,
    }))
}

fn missing_table(table: &str) -> KmsError {
    KmsError::BadRequestException(format!("ERROR: relation \"{table}\" does not exist"))
}

fn unavailable(cluster: &Cluster, status: ClusterStatus) -> KmsError {
    KmsError::DatabaseUnavailableException(match status {
        ClusterStatus::InaccessibleRecoverable => format!(
            "DBCluster {} is inaccessible-encryption-credentials-recoverable: RDS cannot use its KMS key {} (disabled, pending deletion, or its grant revoked). On a real cluster a query on an open connection hangs and new connections get no answer. Make the key usable again and RDS recovers the cluster by itself.",
            cluster.id, cluster.storage.key_arn
        ),
        ClusterStatus::Inaccessible => format!(
            "DBCluster {} is inaccessible-encryption-credentials: its KMS key {} was unusable too long (or deleted) and its data can no longer be decrypted. Only a restore from a snapshot under a usable key brings the data back.",
            cluster.id, cluster.storage.key_arn
        ),
        ClusterStatus::Starting => format!(
            "DBCluster {} is starting: it is recovering access to its KMS key. Try again in a few minutes.",
            cluster.id
        ),
        ClusterStatus::Available => format!("DBCluster {} has no data key in memory.", cluster.id),
    })
}
