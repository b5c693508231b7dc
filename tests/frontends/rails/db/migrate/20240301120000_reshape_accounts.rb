# frozen_string_literal: true

class ReshapeAccounts < ActiveRecord::Migration[7.1]
  def change
    create_table :account_notes do |t|
      t.references :account
      t.string :body, limit: 200
      t.timestamps
    end
    add_column :accounts, :nickname, :string, limit: 40
    remove_column :accounts, :fax, :string
    remove_columns :accounts, :pager, :telex
    remove_reference :accounts, :owner, polymorphic: true
    rename_column :accounts, :name, :display_name
    rename_table :plans, :subscriptions
    change_column :accounts, :nickname, :string, limit: 20
    change_table :orders do |t|
      t.remove :coupon
      t.rename :total, :amount
      t.change :note, :text
    end
    reversible do |dir|
      dir.up { execute "UPDATE accounts SET nickname = display_name" }
      dir.down { execute %{DELETE FROM account_notes}.squish }
    end
    execute <<~SQL
      DROP TABLE legacy_#{suffix}; TRUNCATE audit
    SQL
    drop_table :account_notes
  end
end
