use sea_orm_migration::prelude::*;

use crate::m20261123_000001_accounts_and_catalog::Users;

/// A counter on each account that its access tokens carry: raising it (a password change,
/// a log-out) ends every token issued before. Tokens issued before this column existed
/// carry none, which reads as 0, the value every account starts with.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .add_column(
                    ColumnDef::new(Alias::new("token_version"))
                        .integer()
                        .not_null()
                        .default(0),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .drop_column(Alias::new("token_version"))
                .to_owned(),
        )
        .await
    }
}
