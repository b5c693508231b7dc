<?php

declare(strict_types=1);

namespace DoctrineMigrations;

use Doctrine\DBAL\Schema\Schema;
use Doctrine\Migrations\AbstractMigration;

final class Version20240301120000 extends AbstractMigration
{
    public function up(Schema $schema): void
    {
        $this->addSql('ALTER TABLE invoice DROP notes, CHANGE amount amount NUMERIC(8, 2) NOT NULL');
        $this->addSql(<<<'SQL'
            DELETE FROM audit_log
            SQL);
        $table = $schema->getTable('customer');
        $table->dropColumn('fax');
        $table->addColumn('nickname', 'string', ['length' => 40]);
        $schema->renameTable('plan', 'subscription');
        $schema->dropTable($this->getTable('legacy', true));
    }

    public function down(Schema $schema): void
    {
        $this->addSql('ALTER TABLE invoice ADD notes LONGTEXT DEFAULT NULL');
    }
}
