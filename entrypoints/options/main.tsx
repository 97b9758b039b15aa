import { render } from 'preact';
import { App } from './App';
import { t } from '@/lib/i18n';
import '@/components/base.css';
import './options.css';

document.documentElement.lang = browser.i18n.getUILanguage();
document.title = t('optionsTitle');
render(<App />, document.getElementById('app')!);
