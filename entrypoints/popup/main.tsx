import { render } from 'preact';
import { t } from '@/lib/i18n';
import { App } from './App';
import '@/components/base.css';
import './popup.css';

performance.mark('popup-start');
document.documentElement.lang = browser.i18n.getUILanguage();
document.title = t('extName');
render(<App />, document.getElementById('app')!);
