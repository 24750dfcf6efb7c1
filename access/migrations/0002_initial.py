import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('access', '0001_initial'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('casework', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='breakglassaccess',
            name='situation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='casework.situation'),
        ),
        migrations.AddField(
            model_name='breakglassaccess',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='charteracceptance',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='charter_acceptances', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='charteracceptance',
            name='charter',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='acceptances', to='access.charterversion'),
        ),
        migrations.AddIndex(
            model_name='datakey',
            index=models.Index(fields=['master_version'], name='datakey_master_version'),
        ),
        migrations.AddField(
            model_name='breakglassaccess',
            name='data_key',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='access.datakey'),
        ),
        migrations.AddField(
            model_name='membership',
            name='user',
            field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='membership', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='partner',
            name='group',
            field=models.OneToOneField(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='partner', to='auth.group'),
        ),
        migrations.AddField(
            model_name='membership',
            name='partner',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='memberships', to='access.partner'),
        ),
        migrations.AddField(
            model_name='situationgroupgrant',
            name='content_object',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='group_grants', to='casework.situation'),
        ),
        migrations.AddField(
            model_name='situationgroupgrant',
            name='ended_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='retiré par'),
        ),
        migrations.AddField(
            model_name='situationgroupgrant',
            name='granted_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='attribué par'),
        ),
        migrations.AddField(
            model_name='situationgroupgrant',
            name='group',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.group'),
        ),
        migrations.AddField(
            model_name='situationgroupgrant',
            name='permission',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission'),
        ),
        migrations.AddField(
            model_name='situationusergrant',
            name='content_object',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='user_grants', to='casework.situation'),
        ),
        migrations.AddField(
            model_name='situationusergrant',
            name='ended_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='retiré par'),
        ),
        migrations.AddField(
            model_name='situationusergrant',
            name='granted_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='attribué par'),
        ),
        migrations.AddField(
            model_name='situationusergrant',
            name='permission',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='auth.permission'),
        ),
        migrations.AddField(
            model_name='situationusergrant',
            name='user',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='charteracceptance',
            constraint=models.UniqueConstraint(fields=('user', 'charter'), name='one_acceptance_per_version'),
        ),
        migrations.AddIndex(
            model_name='breakglassaccess',
            index=models.Index(fields=['user', 'situation'], name='breakglass_user_situation'),
        ),
        migrations.AddIndex(
            model_name='breakglassaccess',
            index=models.Index(condition=models.Q(('closed_at__isnull', True)), fields=['expires_at'], name='breakglass_open'),
        ),
        migrations.AddIndex(
            model_name='situationgroupgrant',
            index=models.Index(condition=models.Q(('ended_at__isnull', True)), fields=['content_object', 'group', 'permission'], name='situation_ggrant_live'),
        ),
        migrations.AddIndex(
            model_name='situationgroupgrant',
            index=models.Index(condition=models.Q(('ended_at__isnull', True)), fields=['group', 'permission', 'content_object'], name='situation_ggrant_holder'),
        ),
        migrations.AddIndex(
            model_name='situationgroupgrant',
            index=models.Index(fields=['source_type', 'source_id'], name='situation_ggrant_source'),
        ),
        migrations.AddIndex(
            model_name='situationgroupgrant',
            index=models.Index(condition=models.Q(('ended_at__isnull', True), ('expires_at__isnull', False)), fields=['expires_at'], name='situation_ggrant_expiry'),
        ),
        migrations.AddIndex(
            model_name='situationusergrant',
            index=models.Index(condition=models.Q(('ended_at__isnull', True)), fields=['content_object', 'user', 'permission'], name='situation_ugrant_live'),
        ),
        migrations.AddIndex(
            model_name='situationusergrant',
            index=models.Index(condition=models.Q(('ended_at__isnull', True)), fields=['user', 'permission', 'content_object'], name='situation_ugrant_holder'),
        ),
        migrations.AddIndex(
            model_name='situationusergrant',
            index=models.Index(fields=['source_type', 'source_id'], name='situation_ugrant_source'),
        ),
        migrations.AddIndex(
            model_name='situationusergrant',
            index=models.Index(condition=models.Q(('ended_at__isnull', True), ('expires_at__isnull', False)), fields=['expires_at'], name='situation_ugrant_expiry'),
        ),
    ]
