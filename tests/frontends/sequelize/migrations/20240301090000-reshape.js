'use strict';

/** @type {import('sequelize-cli').Migration} */
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.createTable('Notes', {
      id: { type: Sequelize.INTEGER, primaryKey: true },
      body: { type: Sequelize.STRING(500) },
    });
    await queryInterface.changeColumn('Notes', 'body', { type: Sequelize.STRING(100) });
    await queryInterface.removeColumn({ tableName: 'Customers', schema: 'shop' }, 'fax');
    await queryInterface.bulkDelete('Sessions', null, {});
    await queryInterface.bulkDelete('Tokens', { expired: true }, {});
    await queryInterface.sequelize.query(
      'UPDATE "Users" ' +
        'SET "flag" = 0'
    );
  },

  async down(queryInterface, Sequelize) {
    await queryInterface.dropTable('Notes');
  },
};
