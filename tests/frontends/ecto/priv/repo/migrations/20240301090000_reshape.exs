defmodule Shop.Repo.Migrations.Reshape do
  use Ecto.Migration

  def up do
    create table(:notes) do
      add :body, :string, size: 500
    end

    alter table(:notes) do
      modify :body, :string, size: 100
    end

    alter table(:customers) do
      remove :fax
    end

    drop_if_exists table(:legacy)
    rename table(:orders), to: table(:purchases)
    execute ~s|DELETE FROM "sessions" WHERE id = #{1}|
    execute "UPDATE users SET flag = 0"
  end

  def down do
    drop table(:notes)
  end
end
