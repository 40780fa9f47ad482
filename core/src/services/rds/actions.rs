//! RDS's and the RDS Data API's actions, written once (see
//! `crate::kms::actions` for the row format).

/// The table; see [`crate::kms::actions`].
macro_rules! rds_table {
    ([$($acc:tt)*] $then:ident $($rest:ident)*) => {
        $then! { [$($acc)* Rds {
            CreateDBCluster("rds:CreateDBCluster", crate::services::rds::api::CreateDBClusterRequest, false,
                r#"{"DBClusterIdentifier": "app-db", "KmsKeyId": "KEY"}"#,
                crate::services::rds::ops::clusters::create_db_cluster, []),
            DescribeDBClusters("rds:DescribeDBClusters", crate::services::rds::api::DescribeDBClustersRequest, true,
                r#"{}"#,
                crate::services::rds::ops::clusters::describe_db_clusters, []),
            CreateDBClusterSnapshot("rds:CreateDBClusterSnapshot", crate::services::rds::api::CreateDBClusterSnapshotRequest, false,
                r#"{"DBClusterIdentifier": "app-db", "DBClusterSnapshotIdentifier": "app-db-snap"}"#,
                crate::services::rds::ops::snapshots::create_db_cluster_snapshot, []),
            CopyDBClusterSnapshot("rds:CopyDBClusterSnapshot", crate::services::rds::api::CopyDBClusterSnapshotRequest, false,
                r#"{"SourceDBClusterSnapshotIdentifier": "app-db-snap", "TargetDBClusterSnapshotIdentifier": "app-db-copy", "KmsKeyId": "KEY"}"#,
                crate::services::rds::ops::snapshots::copy_db_cluster_snapshot, []),
            RestoreDBClusterFromSnapshot("rds:RestoreDBClusterFromSnapshot", crate::services::rds::api::RestoreDBClusterFromSnapshotRequest, false,
                r#"{"DBClusterIdentifier": "app-db-restored", "SnapshotIdentifier": "app-db-snap"}"#,
                crate::services::rds::ops::snapshots::restore_db_cluster_from_snapshot, []),
            ModifyDBClusterSnapshotAttribute("rds:ModifyDBClusterSnapshotAttribute", crate::services::rds::api::ModifyDBClusterSnapshotAttributeRequest, false,
                r#"{"DBClusterSnapshotIdentifier": "app-db-snap", "AttributeName": "restore", "ValuesToAdd": ["444455556666"]}"#,
                crate::services::rds::ops::snapshots::modify_db_cluster_snapshot_attribute, []),
            DescribeDBClusterSnapshots("rds:DescribeDBClusterSnapshots", crate::services::rds::api::DescribeDBClusterSnapshotsRequest, true,
                r#"{}"#,
                crate::services::rds::ops::snapshots::describe_db_cluster_snapshots, []),
            ExecuteStatement("rds-data:ExecuteStatement", crate::services::rds::api::ExecuteStatementRequest, false,
                r#"{"resourceArn": "app-db", "sql": "SELECT * FROM users"}"#,
                crate::services::rds::ops::data::execute_statement, []),
        }] $($rest)* }
    };
}
pub(crate) use rds_table;
