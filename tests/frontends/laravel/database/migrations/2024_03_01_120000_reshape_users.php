<?php

use Illuminate\Database\Migrations\Migration;
use Illuminate\Database\Schema\Blueprint;
use Illuminate\Support\Facades\DB;
use Illuminate\Support\Facades\Schema;

return new class extends Migration
{
    public function up(): void
    {
        Schema::create('profiles', function (Blueprint $table) {
            $table->id();
            $table->string('headline', 120);
            $table->decimal('rating', 4, 1);
        });
        Schema::table('users', static function (Blueprint $table): void {
            $table->dropColumn(['fax', 'pager']);
            $table->dropColumn('telex', 'beeper');
            $table->dropTimestamps();
            $table->renameColumn('name', 'display_name');
            $table->string('email', 100)->nullable()->change();
            $table->rename('members');
        });
        Schema::rename('orders', 'purchases');
        Schema::dropIfExists('password_resets');
        DB::statement("ALTER TABLE \"invoices\"\n DROP COLUMN notes");
        DB::table('sessions')->where('expired', true)->delete();
        DB::table('cache')->truncate();
    }

    public function down(): void
    {
        Schema::drop('profiles');
    }
};
