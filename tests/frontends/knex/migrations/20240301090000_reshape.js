/**
 * @param { import("knex").Knex } knex
 */
exports.up = function (knex) {
  return knex.schema
    .createTable('notes', (t) => {
      t.increments('id');
      t.string('body', 500);
    })
    .table('customers', (t) => {
      t.dropColumn('fax');
      t.renameColumn('name', 'full_name');
      t.decimal('credit', 10, 2).alter();
    })
    .renameTable('orders', 'purchases')
    .raw(`DELETE FROM ${'sessions'}`);
};

exports.down = function (knex) {
  return knex.schema.dropTable('notes');
};
