from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="Refund",
            fields=[
                ("id", models.BigAutoField(primary_key=True)),
                ("amount", models.DecimalField(max_digits=10, decimal_places=2)),
                ("reason", models.TextField()),
            ],
        ),
        migrations.AddField("order", "channel", models.CharField(max_length=30)),
        migrations.RemoveField(model_name="order", name="coupon"),
        migrations.RenameField(model_name="order", old_name="total", new_name="amount"),
        migrations.AlterField(model_name="order", name="channel", field=models.CharField(max_length=10)),
        migrations.RenameModel(old_name="Voucher", new_name="GiftCard"),
        migrations.DeleteModel(name="Coupon"),
        migrations.RunSQL(
            sql=["UPDATE shop_order SET channel = 'web'", ("DELETE FROM shop_cart WHERE id = %s", [1])],
            reverse_sql="DROP TABLE shop_refund",
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Ghost")],
        ),
    ]
